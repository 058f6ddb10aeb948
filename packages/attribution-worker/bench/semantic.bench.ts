/**
 * Semantic index bench: embeddings/s (batched feature extraction), index write, and retrieval latency
 * (query embedding + brute-force cosine top-k) at N records, plus the brute-force search alone at the
 * fixture's dimension and at 384 dimensions (a MiniLM-sized model). Records are sentences of prose
 * already on this machine. Uses the fixture model unless EMBEDDING_MODEL_DIR names a real one.
 * Usage: tsx bench/semantic.bench.ts [records=10000] [queries=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureModel } from '../src/semantic/fixture-model.js';
import { DEFAULT_SEMANTIC_PARAMS } from '../src/semantic/semantic-attribution.js';
import { SemanticService } from '../src/semantic/semantic-service.js';
import { VectorStore } from '../src/semantic/vector-store.js';
import { rng, trainingText } from './corpus.js';

const N = Number(process.argv[2] ?? 10_000);
const Q = Number(process.argv[3] ?? 200);
const print = (name: string, value: string): void => console.log(`${name.padEnd(48)} ${value}`);
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

const tmp = mkdtempSync(join(tmpdir(), 'semantic-bench-'));
try {
  const modelDir = process.env.EMBEDDING_MODEL_DIR ?? writeFixtureModel(join(tmp, 'fixture-bert'));
  const sentences = trainingText(8_000_000)
    .split(/(?<=[.!?])\s+|\n\s*\n/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 40 && s.length <= 400);
  if (sentences.length === 0) throw new Error('no prose found');
  // fewer sentences than records: later records join two sentences (still distinct texts)
  const records = Array.from({ length: N }, (_, i) => (i < sentences.length ? sentences[i]! : `${sentences[i % sentences.length]!} ${sentences[(i * 7 + 3) % sentences.length]!}`));
  print('model', `${process.env.EMBEDDING_MODEL_DIR ? modelDir : 'fixture (bag-of-words BERT-shaped ONNX)'}`);
  print('records', `${N} (mean ${Math.round(records.reduce((s, r) => s + r.length, 0) / N)} chars)`);

  const t0 = performance.now();
  const semantic = await SemanticService.open({ modelDir, dir: join(tmp, 'semantic'), params: DEFAULT_SEMANTIC_PARAMS, batchSize: 32 });
  print('model load', `${(performance.now() - t0).toFixed(0)} ms (dim ${semantic.embedder.dim})`);

  const t1 = performance.now();
  const perContribution = 100;
  for (let c = 0; c * perContribution < N; c++) {
    await semantic.indexContribution(
      { datanetId: 'bench', contributionId: `c${c}`, contributor: `0x${c.toString(16).padStart(40, '0')}`, weight: '1', recordCount: perContribution, batchRoot: `0x${'00'.repeat(32)}`, exportUrl: '' },
      records.slice(c * perContribution, (c + 1) * perContribution),
    );
  }
  const indexS = (performance.now() - t1) / 1000;
  print('embed + store (batch 32)', `${(N / indexS).toFixed(0)} records/s (${indexS.toFixed(1)} s for ${N})`);

  const tEmbed = performance.now();
  const sample = records.slice(0, 1024);
  await semantic.embedder.embed(sample);
  print('embeddings/s (batch 32, no store)', `${((sample.length * 1000) / (performance.now() - tEmbed)).toFixed(0)}`);

  const xs = rng(42);
  const next = (): number => xs() / 4294967296;
  const queries = Array.from({ length: Q }, () => records[Math.floor(next() * N)]!.split(' ').slice(0, 12).join(' '));
  const full: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await semantic.nearest(['bench'], q, 5);
    full.push(performance.now() - t);
  }
  print(`retrieve k=5 at ${N} (embed query + search)`, `p50 ${pct(full, 50).toFixed(2)} ms  p99 ${pct(full, 99).toFixed(2)} ms`);

  const store = await semantic.store('bench');
  const qv = await semantic.embedder.embed(queries.slice(0, 50));
  const search: number[] = [];
  for (let i = 0; i < Q; i++) {
    const t = performance.now();
    store.nearest(qv[i % qv.length]!, 5);
    search.push(performance.now() - t);
  }
  print(`brute-force search only, dim ${store.dim}, ${N} rows`, `p50 ${pct(search, 50).toFixed(2)} ms  p99 ${pct(search, 99).toFixed(2)} ms`);

  const t2 = performance.now();
  const reopened = VectorStore.open(join(tmp, 'semantic', 'bench'), store.dim, semantic.embedder.fingerprint);
  print('reopen from disk', `${(performance.now() - t2).toFixed(0)} ms (${reopened.size} rows)`);
  await semantic.close();

  // The search at a real model's width: 384-dim random unit vectors, same store code.
  const dim = 384;
  const big = VectorStore.open(join(tmp, 'dim384'), dim, 'synthetic');
  const unit = (): Float32Array => {
    const v = Float32Array.from({ length: dim }, () => next() - 0.5);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  for (let c = 0; c * perContribution < N; c++) {
    const vectors = Array.from({ length: Math.min(perContribution, N - c * perContribution) }, unit);
    big.add({ contributionId: `c${c}`, contributor: '0x0', weight: '1', texts: vectors.map(() => ''), vectors });
  }
  const wide: number[] = [];
  const q384 = unit();
  big.nearest(q384, 5);
  for (let i = 0; i < Q; i++) {
    const t = performance.now();
    big.nearest(q384, 5);
    wide.push(performance.now() - t);
  }
  print(`brute-force search only, dim ${dim}, ${N} rows`, `p50 ${pct(wide, 50).toFixed(2)} ms  p99 ${pct(wide, 99).toFixed(2)} ms`);
  print('load average (1 min)', loadavg()[0]!.toFixed(2));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
