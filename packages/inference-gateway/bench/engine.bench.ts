/**
 * OpenLoRA engine figures with a generated ~25M-parameter llama base and rank-16 LoRA adapters, one thread.
 * Run by hand: `pnpm --filter @openledger/inference-gateway bench` (prints one line per figure).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoraRuntime } from '../src/engine/runtime/lora-runtime.js';
import type { AdapterRef } from '../src/engine/types.js';
import { BENCH_BASE, baseParameterCount, writeTinyBaseModel, writeTinyLoraAdapter } from '../src/testing/tiny-models.js';

const ADAPTERS = Number(process.env.BENCH_ADAPTERS ?? 1000);
const RANK = 16;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
const line = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

const dir = await mkdtemp(path.join(tmpdir(), 'openlora-bench-'));
const adapterDir = path.join(dir, 'adapters');
await mkdir(adapterDir);
try {
  const basePath = path.join(dir, 'base.gguf');
  await writeTinyBaseModel(basePath, BENCH_BASE);
  line('base model parameters', `${(baseParameterCount(BENCH_BASE) / 1e6).toFixed(1)} M (F32, ${BENCH_BASE.nLayer} layers, d=${BENCH_BASE.nEmbd})`);
  const t0 = performance.now();
  const refs: AdapterRef[] = [];
  for (let i = 0; i < ADAPTERS; i++) {
    const file = path.join(adapterDir, `a${i}.gguf`);
    await writeTinyLoraAdapter(file, BENCH_BASE, { rank: RANK, alpha: RANK, seed: i + 1 });
    refs.push({ adapterId: String(i), sha256: createHash('sha256').update(await readFile(file)).digest('hex'), uri: file });
  }
  const adapterBytes = (await readFile(refs[0]!.uri)).length;
  line(`adapters generated (rank ${RANK}, q+v, F32)`, `${ADAPTERS} x ${mb(adapterBytes)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const make = (budgetBytes: number, contexts = 1) =>
    LoraRuntime.create({ modelPath: basePath, contexts, contextSize: 512, threads: 1, cacheDir: path.join(dir, 'cache'), allowedLocalDirs: [adapterDir], maxAdapterBytes: 64 << 20, adapterMemoryBytes: budgetBytes });

  // --- switch latency, memory per adapter, decode speed: one runtime with room for 64 adapters
  const rssBefore = process.memoryUsage().rss;
  const rt = await make(adapterBytes * 64);
  line('build', rt.stats.build);
  const rssBase = process.memoryUsage().rss;
  line('RSS with the base model loaded', `${mb(rssBase)} MB (+${mb(rssBase - rssBefore)} MB)`);

  // first use: copy into the content-addressed cache with sha256, then llama.cpp load + set
  const firstUse: number[] = [];
  for (let i = 0; i < 48; i++) firstUse.push(await rt.switchAdapters([refs[i]!]));
  const rssLoaded = process.memoryUsage().rss;
  line('memory per additional resident adapter (RSS delta / 48)', `${mb((rssLoaded - rssBase) / 48)} MB (file ${mb(adapterBytes)} MB)`);
  line('adapter first use from disk (hash-checked copy + load) p50', `${quantile(firstUse, 0.5).toFixed(2)} ms (p95 ${quantile(firstUse, 0.95).toFixed(2)} ms)`);

  const resident: number[] = [];
  for (let i = 0; i < 400; i++) resident.push(await rt.switchAdapters([refs[i % 2]!]));
  line('adapter switch, resident adapter p50', `${(quantile(resident, 0.5) * 1000).toFixed(0)} us (p99 ${(quantile(resident, 0.99) * 1000).toFixed(0)} us)`);

  // the switch itself only re-points the context; what a request pays shows in its first token
  const firstToken = async (adapters: AdapterRef[]) => (await rt.generate({ requestId: 'f', prompt: 'hi', adapters, maxTokens: 1 })).generationMs;
  const sameAdapter: number[] = [];
  const switching: number[] = [];
  for (let i = 0; i < 60; i++) {
    sameAdapter.push(await firstToken([refs[0]!]));
    await firstToken([refs[0]!]);
    switching.push(await firstToken([refs[1 + (i % 2)]!]));
    await firstToken([refs[0]!]);
  }
  line('first-token latency after a resident switch vs same adapter', `${quantile(switching, 0.5).toFixed(2)} ms vs ${quantile(sameAdapter, 0.5).toFixed(2)} ms`);

  // decode speed: interleaved rounds, best of each (the machine is shared; best-of is the least disturbed)
  const tps = async (adapters: AdapterRef[]) => {
    const res = await rt.generate({ requestId: 'd', prompt: 'the data and the model', adapters, maxTokens: 128, temperature: 0 });
    return res.outputTokenIds.length / (res.generationMs / 1000);
  };
  let baseTps = 0;
  let loraTps = 0;
  for (let r = 0; r < 6; r++) {
    baseTps = Math.max(baseTps, await tps([]));
    loraTps = Math.max(loraTps, await tps([refs[0]!]));
  }
  line('decode tokens/s, base model (1 thread, best of 6)', baseTps.toFixed(1));
  line('decode tokens/s, with a rank-16 adapter (best of 6)', `${loraTps.toFixed(1)} (${((loraTps / baseTps) * 100).toFixed(1)}% of base)`);
  await rt.close();

  // --- cold from disk: a runtime with room for 2 adapters, files already in the verified cache
  const cold = await make(adapterBytes * 2);
  const coldTimes: number[] = [];
  for (let i = 0; i < 40; i++) await cold.switchAdapters([refs[i]!]); // warm the page cache and the store's verified set
  for (let i = 0; i < 40; i++) coldTimes.push(await cold.switchAdapters([refs[i]!])); // each was evicted: a cold load
  line('adapter switch, cold from disk (evicted, reload) p50', `${quantile(coldTimes, 0.5).toFixed(2)} ms (p95 ${quantile(coldTimes, 0.95).toFixed(2)} ms, evictions ${cold.stats.adapterEvictions})`);
  await cold.close();

  // --- all adapters round-robin through one runtime with a 256 MB adapter budget
  const rr = await make(256 << 20);
  const started = performance.now();
  let tokens = 0;
  for (let i = 0; i < ADAPTERS; i++) {
    const res = await rr.generate({ requestId: String(i), prompt: 'hello', adapters: [refs[i]!], maxTokens: 4, temperature: 0 });
    tokens += res.outputTokenIds.length;
  }
  const secs = (performance.now() - started) / 1000;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  line(`${ADAPTERS} adapters round-robin, 4 tokens each, one process`, `${(ADAPTERS / secs).toFixed(1)} req/s, ${tokens} tokens, ${rr.stats.adapterLoads} loads, ${rr.stats.adapterEvictions} evictions, peak RSS ${mb(maxRss)} MB (limit 24576 MB)`);
  await rr.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
