import { createServer, type Server } from 'node:http';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { LocalEngine } from '../src/engine/local-engine.js';
import type { AdapterRef, GenerateRequest } from '../src/engine/types.js';
import { createEngineFixtures, type EngineFixtures } from '../src/testing/fixtures.js';

let fx: EngineFixtures;
let engine: LocalEngine;
let other: LocalEngine;

const makeEngine = (id: string, extra: { adapterMemoryBytes?: number; pinned?: string[]; hotPinning?: { hits: number; windowMs: number; max: number } } = {}) =>
  new LocalEngine({
    baseModelId: id,
    runtime: {
      modelPath: fx.basePath,
      contexts: 2,
      contextSize: 256,
      threads: 1,
      cacheDir: `${fx.cacheDir}-${id}`,
      allowedLocalDirs: [fx.adapterDir],
      allowPrivateHosts: ['127.0.0.1'], // the test's adapter server
      maxAdapterBytes: 10_000_000,
      // room for exactly two resident adapters
      adapterMemoryBytes: extra.adapterMemoryBytes ?? fx.adapterBytes * 2,
      pinnedAdapters: extra.pinned,
      hotPinning: extra.hotPinning,
    },
  });

const req = (adapters: AdapterRef[], extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  requestId: 'r',
  prompt: 'user: tell me the answer\nassistant:',
  adapters,
  maxTokens: 16,
  temperature: 0,
  ...extra,
});

beforeAll(async () => {
  fx = await createEngineFixtures();
  engine = makeEngine('e1');
  other = makeEngine('e2');
  await Promise.all([engine.start(), other.start()]);
});

afterAll(async () => {
  await Promise.all([engine?.close(), other?.close()]);
  await rm(fx.dir, { recursive: true, force: true });
});

test('two adapters on one base give different, deterministic outputs; the base is loaded once', async () => {
  const { a, b } = fx.adapters;
  const base1 = await engine.generate(req([]));
  const a1 = await engine.generate(req([a]));
  const b1 = await engine.generate(req([b]));
  const a2 = await engine.generate(req([a]));
  const base2 = await engine.generate(req([]));
  expect(a1.outputTokenIds.length).toBe(16);
  expect(a1.text).not.toBe(b1.text);
  expect(a1.text).not.toBe(base1.text);
  expect(a2.text).toBe(a1.text);
  expect(a2.outputTokenIds).toEqual(a1.outputTokenIds);
  expect(base2.text).toBe(base1.text);
  // a second engine process over the same base file agrees token for token
  expect((await other.generate(req([a]))).outputTokenIds).toEqual(a1.outputTokenIds);
  const stats = await engine.stats();
  expect(stats.baseModelLoads).toBe(1);
  expect(stats.restarts).toBe(0);
  expect(stats.adapterLoads).toBe(2);
  expect(stats.adapterCacheHits).toBeGreaterThanOrEqual(1);
  expect(stats.build).toMatch(/cpu|cuda/);
});

test('stacked adapters with scales differ from each adapter alone', async () => {
  const { a, b } = fx.adapters;
  const stacked = await engine.generate(req([{ ...a, scale: 0.5 }, { ...b, scale: 1.5 }]));
  const again = await engine.generate(req([{ ...a, scale: 0.5 }, { ...b, scale: 1.5 }]));
  expect(again.text).toBe(stacked.text);
  expect(stacked.text).not.toBe((await engine.generate(req([a]))).text);
  expect(stacked.text).not.toBe((await engine.generate(req([b]))).text);
});

test('LRU evicts the least recently used adapter and reloads it on demand; pinned adapters stay', async () => {
  const e = makeEngine('lru', { pinned: [fx.adapters.d.sha256] });
  try {
    const { a, b, c, d } = fx.adapters;
    const first = await e.generate(req([a]));
    await e.generate(req([d]));
    await e.generate(req([b]));
    let s = await e.stats();
    expect(s.loadedAdapters).toEqual([d.sha256, b.sha256]);
    expect(s.adapterEvictions).toBe(1);
    await e.generate(req([c]));
    s = await e.stats();
    expect(s.loadedAdapters).toContain(d.sha256); // pinned survives although least recently used
    expect(s.loadedAdapters).not.toContain(b.sha256);
    const reloaded = await e.generate(req([a]));
    expect(reloaded.text).toBe(first.text);
    s = await e.stats();
    expect(s.adapterLoads).toBe(5);
    expect(s.adapterEvictions).toBe(3);
    expect(s.loadedAdapterBytes).toBeLessThanOrEqual(fx.adapterBytes * 2);
  } finally {
    await e.close();
  }
});

test('a hot adapter is pinned automatically and survives the churn of cold ones', async () => {
  const e = makeEngine('hot', { hotPinning: { hits: 3, windowMs: 60_000, max: 1 } });
  try {
    const { a, b, c, d } = fx.adapters;
    for (let i = 0; i < 3; i++) await e.generate(req([a], { maxTokens: 2 }));
    for (const cold of [b, c, d, b, c, d]) await e.generate(req([cold], { maxTokens: 2 }));
    const s = await e.stats();
    expect(s.loadedAdapters).toContain(a.sha256);
    expect(s.adapterLoads).toBe(7); // a once, then b, c, d twice each through the one remaining slot
  } finally {
    await e.close();
  }
});

test('an adapter whose file does not match the registered hash is refused before llama.cpp sees it', async () => {
  const wrong = { ...fx.adapters.c, adapterId: 'forged', sha256: fx.adapters.a.sha256.replace(/^./, (ch) => (ch === '0' ? '1' : '0')) };
  await expect(engine.generate(req([wrong]))).rejects.toMatchObject({ code: 'adapter_hash_mismatch' });
  await expect(stat(`${fx.cacheDir}-e1/${wrong.sha256}.gguf`)).rejects.toThrow();
  const outside = { adapterId: 'outside', sha256: 'ab'.repeat(32), uri: fx.basePath }; // a file outside the adapter directories
  await expect(engine.generate(req([outside]))).rejects.toMatchObject({ code: 'adapter_fetch_failed' });
  expect((await engine.stats()).restarts).toBe(0);
});

test('a corrupt adapter crashes only its engine process; the request fails cleanly and the engine restarts', async () => {
  const pidBefore = engine.pid;
  const otherPid = other.pid;
  const concurrent = other.generate(req([fx.adapters.b], { maxTokens: 32 }));
  await expect(engine.generate(req([fx.adapters.corrupt]))).rejects.toMatchObject({ code: 'engine_crashed' });
  expect((await concurrent).outputTokenIds.length).toBe(32);
  expect(other.pid).toBe(otherPid);
  // the supervisor restarts the engine; it serves again with the same outputs
  const after = await engine.generate(req([fx.adapters.a]));
  expect(after.text).toBe((await other.generate(req([fx.adapters.a]))).text);
  expect(engine.pid).not.toBe(pidBefore);
  expect(engine.restarts).toBe(1);
  // the adapter that crashed it is quarantined, not loaded again
  await expect(engine.generate(req([fx.adapters.corrupt]))).rejects.toMatchObject({ code: 'adapter_quarantined' });
  expect(engine.restarts).toBe(1);
});

test('a malformed base model fails start-up cleanly and restarts back off', async () => {
  const badBase = path.join(fx.dir, 'bad-base.gguf');
  await writeFile(badBase, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(60, 0xff)]));
  const e = new LocalEngine({ baseModelId: 'bad', runtime: { modelPath: badBase, contexts: 1, contextSize: 64, threads: 1, cacheDir: `${fx.cacheDir}-bad`, allowedLocalDirs: [fx.adapterDir], maxAdapterBytes: 1 << 20, adapterMemoryBytes: 1 << 20 } });
  try {
    await expect(e.start()).rejects.toMatchObject({ code: 'engine_unavailable' });
    await new Promise((r) => setTimeout(r, 4_000));
    // a few attempts, spaced out: never a hot crash loop
    expect(e.restarts).toBeGreaterThanOrEqual(1);
    expect(e.restarts).toBeLessThanOrEqual(5);
    await expect(e.generate(req([]))).rejects.toMatchObject({ code: 'engine_unavailable' });
  } finally {
    await e.close();
  }
  // the healthy engines are untouched
  expect((await engine.generate(req([]))).outputTokenIds.length).toBe(16);
});

test('stop sequences, max tokens, streaming and exact token counts', async () => {
  const full = await engine.generate(req([fx.adapters.b], { maxTokens: 24 }));
  expect(full.finishReason).toBe('length');
  expect(full.outputTokenIds.length).toBe(24);
  const stopAt = full.text.slice(6, 8);
  const stopped = await engine.generate(req([fx.adapters.b], { maxTokens: 24, stop: [stopAt] }));
  expect(stopped.finishReason).toBe('stop');
  expect(full.text.startsWith(stopped.text)).toBe(true);
  expect(stopped.text).not.toContain(stopAt);
  const chunks: string[] = [];
  const streamed = await engine.generate(req([fx.adapters.b], { maxTokens: 24 }), { onText: (t) => chunks.push(t) });
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.join('')).toBe(streamed.text);
  expect(streamed.text).toBe(full.text);
  // the prompt count is the tokenizer's: BOS plus the tokenized prompt
  expect(streamed.promptTokenIds[0]).toBe(1);
  expect(streamed.promptTokenIds.length).toBeGreaterThan(5);
});

test('JSON-schema constrained output parses and matches the schema', async () => {
  const schema = { type: 'object', properties: { answer: { type: 'string', maxLength: 8 }, n: { type: 'integer' } }, required: ['answer', 'n'] };
  const r = await engine.generate(req([fx.adapters.a], { maxTokens: 60, jsonSchema: schema }));
  const parsed = JSON.parse(r.text) as { answer: unknown; n: unknown };
  expect(typeof parsed.answer).toBe('string');
  expect(Number.isInteger(parsed.n)).toBe(true);
});

test('seeded sampling is reproducible; different seeds differ', async () => {
  const s = (seed: number) => engine.generate(req([fx.adapters.a], { temperature: 1.5, topP: 0.95, seed, maxTokens: 24 }));
  const [x1, x2, y] = [await s(11), await s(11), await s(12)];
  expect(x2.text).toBe(x1.text);
  expect(y.text).not.toBe(x1.text);
});

test('adapters load just in time from an HTTP URL, hash-checked', async () => {
  const bytes = await readFile(fx.adapters.c.uri);
  const server: Server = createServer((_q, res) => res.end(bytes));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/c.gguf`;
    const viaHttp = await other.generate(req([{ ...fx.adapters.c, uri: url }]));
    const viaDisk = await engine.generate(req([fx.adapters.c]));
    expect(viaHttp.text).toBe(viaDisk.text);
    await expect(other.generate(req([{ ...fx.adapters.d, uri: url }]))).rejects.toMatchObject({ code: 'adapter_hash_mismatch' });
  } finally {
    server.close();
  }
});

test('aborting a request cancels the generation', async () => {
  const controller = new AbortController();
  let chunks = 0;
  const running = engine.generate(req([fx.adapters.a], { maxTokens: 200 }), {
    signal: controller.signal,
    onText: () => { if (++chunks === 3) controller.abort(); },
  });
  await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  expect(chunks).toBeLessThan(100);
});
