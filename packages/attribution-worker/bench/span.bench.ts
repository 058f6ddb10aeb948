/**
 * Span index bench: a corpus with realistic repetition (order-2 Markov chain trained on prose found
 * on this machine, plus verbatim copies of earlier records), built as 24-bit shards on worker threads,
 * saved, reloaded, and queried with 256-token outputs. Prints one line per figure.
 * Usage: tsx bench/span.bench.ts [millionTokens=100] [threads=2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeSpans, DEFAULT_SPAN_PARAMS } from '../src/span/attribute.js';
import { BuildPool } from '../src/span/build-pool.js';
import { DatanetIndex } from '../src/span/datanet-index.js';
import { suffixArrayImplementation } from '../src/span/sais.js';
import { buildSegmentData, MAX_SEGMENT_SLOTS, type ContributionTokens } from '../src/span/segment.js';
import { MarkovChain, rng, trainingText } from './corpus.js';

const millions = Number(process.argv[2] ?? 100);
const threads = Number(process.argv[3] ?? 2);
const TOTAL = Math.round(millions * 1_000_000);
const RECORD = 200;
const RECORDS_PER_CONTRIBUTION = 50;
const COPY_RATE = 0.05;

const print = (name: string, value: string): void => console.log(`${name.padEnd(44)} ${value}`);
const mem = (): string => `${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB rss`;

let t = performance.now();
const chain = new MarkovChain(trainingText());
print('load average at start', (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' '));
print('markov training tokens / vocabulary', `${chain.tokenCount} / ${chain.V}`);
print('suffix array construction', `${suffixArrayImplementation} (OPENLEDGER_SAIS=js forces TypeScript)`);

// Corpus: one flat buffer, records of RECORD tokens; 5% of records copy an earlier record verbatim.
const flat = new Uint32Array(TOTAL);
const rand = rng(42);
const nRecords = Math.floor(TOTAL / RECORD);
for (let r = 0; r < nRecords; r++) {
  const at = r * RECORD;
  if (r > 10 && rand() % 1000 < COPY_RATE * 1000) flat.copyWithin(at, (rand() % r) * RECORD, (rand() % r) * RECORD + 0 + RECORD);
  else chain.generate(flat, at, RECORD, rand);
}
const contributions: ContributionTokens[] = [];
for (let r = 0, c = 0; r < nRecords; r += RECORDS_PER_CONTRIBUTION, c++) {
  const records: Uint32Array[] = [];
  for (let k = r; k < Math.min(nRecords, r + RECORDS_PER_CONTRIBUTION); k++) records.push(flat.subarray(k * RECORD, (k + 1) * RECORD));
  contributions.push({ contributionId: `c${c}`, contributor: `0x${(c % 5000).toString(16).padStart(40, '0')}`, weight: '1', records });
}
const tokens = nRecords * RECORD;
print('corpus tokens / records / contributions', `${tokens} / ${nRecords} / ${contributions.length} (${((performance.now() - t) / 1000).toFixed(1)} s to generate)`);

// Single-core build rate: one full shard in this thread.
const shardContributions: ContributionTokens[] = [];
let slots = 0;
for (const c of contributions) {
  const size = c.records.length * (RECORD + 1);
  if (slots + size > MAX_SEGMENT_SLOTS) break;
  shardContributions.push(c);
  slots += size;
}
t = performance.now();
const one = buildSegmentData(shardContributions);
const oneSec = (performance.now() - t) / 1000;
const oneTokens = shardContributions.reduce((s, c) => s + c.records.length * RECORD, 0);
print('build rate, one core (one 16.7M-slot shard)', `${(oneTokens / oneSec / 1e6).toFixed(2)} M tokens/s (${oneTokens} tokens in ${oneSec.toFixed(2)} s)`);
void one;

// Parallel sharded build on worker threads, saved to disk.
const dir = mkdtempSync(join(tmpdir(), 'span-bench-'));
const pool = new BuildPool(threads);
const index = DatanetIndex.open(dir, 'bench', pool);
t = performance.now();
await index.addMany(contributions);
const buildSec = (performance.now() - t) / 1000;
print(`build, ${threads} worker threads, ${index.segments.length} shards`, `${(tokens / buildSec / 1e6).toFixed(2)} M tokens/s wall (${buildSec.toFixed(1)} s incl. writing files; ${(tokens / buildSec / threads / 1e6).toFixed(2)} M/s per thread)`);
print('index size', `${(index.byteSize / tokens).toFixed(3)} bytes/token (${(index.byteSize / 2 ** 20).toFixed(0)} MiB; token width ${index.segments.map((s) => s.data.tokenWidth).join(',')} bytes)`);
t = performance.now();
const loaded = DatanetIndex.open(dir, 'bench', pool);
print('load from disk', `${((performance.now() - t) / 1000).toFixed(2)} s for ${loaded.segments.length} shards; ${mem()}`);

// Queries: 256-token outputs; half novel Markov text, half with a 16-64 token verbatim passage.
const QUERIES = 1000;
const outputs: Uint32Array[] = [];
const qrand = rng(7);
for (let i = 0; i < QUERIES; i++) {
  const out = new Uint32Array(256);
  chain.generate(out, 0, 256, qrand);
  if (i % 2 === 0) {
    const len = 16 + (qrand() % 49);
    const src = (qrand() % (tokens - len));
    out.set(flat.subarray(src, src + len), qrand() % (256 - len));
  }
  outputs.push(out);
}
for (let i = 0; i < 20; i++) attributeSpans(loaded.segments, outputs[i]!, undefined, DEFAULT_SPAN_PARAMS); // warm-up
const lat: number[] = [];
let spans = 0;
let scored = 0;
const all = performance.now();
const cpuStart = process.cpuUsage();
for (const out of outputs) {
  const s = performance.now();
  const r = attributeSpans(loaded.segments, out, undefined, DEFAULT_SPAN_PARAMS);
  lat.push(performance.now() - s);
  spans += r.spans.length;
  scored += r.scores.length;
}
const allSec = (performance.now() - all) / 1000;
const cpuUsed = process.cpuUsage(cpuStart);
const cpuMsPerQuery = (cpuUsed.user + cpuUsed.system) / 1000 / QUERIES;
lat.sort((a, b) => a - b);
const pct = (p: number): string => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!.toFixed(2);
print('attribution latency, 256-token output', `p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lat[lat.length - 1]!.toFixed(2)} ms (minSpan ${DEFAULT_SPAN_PARAMS.minSpanTokens})`);
print('attribution CPU time per output (mean)', `${cpuMsPerQuery.toFixed(2)} ms (wall figures include waiting for a shared CPU)`);
print('attributions per second, one worker', `${(QUERIES / allSec).toFixed(0)} /s wall, ${(1000 / cpuMsPerQuery).toFixed(0)} /s per CPU-second (avg ${(spans / QUERIES).toFixed(1)} spans, ${(scored / QUERIES).toFixed(1)} contributions per output)`);
print('memory', mem());
await pool.close();
rmSync(dir, { recursive: true, force: true });
