import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Wallet } from 'ethers';
import type { FastifyInstance } from 'fastify';
import { buildSiweMessage } from '@openledger/sdk';
import { freePort } from '@openledger/sdk/testing';
import { createRedis } from '@openledger/service-kit';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadConfig, type GatewayConfig } from '../src/config.js';
import { adapters, baseModels, usageEvents } from '../src/db/schema.js';
import { LocalEngine } from '../src/engine/local-engine.js';
import { InferenceDispatcher } from '../src/services/dispatcher.js';
import { sharedQueueName, type InferenceJob } from '../src/services/inference-protocol.js';
import { createEngineFixtures, sha256Hex, type EngineFixtures } from '../src/testing/fixtures.js';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';
import { InferenceWorker } from '../src/workers/inference-worker.js';

// The fast path: the API hands a request straight to the engine worker of its own process when that worker
// has a free context (and the adapter affinity rule allows it); otherwise BullMQ as before. Worker w0 lives
// "in the API's process" (attached to the dispatcher), w1 is a remote worker reached only through its queues.
// Real engines (llama.cpp on a tiny GGUF), real Redis, PGlite or Postgres (DATABASE_URL); the registry rows are
// seeded directly (free adapters, no chain).
let fx: EngineFixtures;
let db: TestDatabase;
let dataDir: string;
let config: GatewayConfig;
let app: FastifyInstance;
let baseUrl: string;
const engines: LocalEngine[] = [];
const workers: InferenceWorker[] = [];
let key: string;
let caller: string;

beforeAll(async () => {
  [fx, db] = await Promise.all([createEngineFixtures(), createTestDatabase('fast_path')]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'fast-path-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    BASE_MODEL_PATH: fx.basePath,
    MAX_QUEUE_DEPTH: '2',
    QUEUE_PREFIX: `fast-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
  });
  app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port });
  const owner = Wallet.createRandom().address;
  await app.ctx.db.insert(baseModels).values({ id: '1', owner, name: 'tiny', fileHash: `0x${sha256Hex(await readFile(fx.basePath))}`, uri: 'file://base' });
  for (const [id, a] of [['1', fx.adapters.a], ['2', fx.adapters.b], ['3', fx.adapters.c]] as const) {
    await app.ctx.db.insert(adapters).values({ id, baseModelId: '1', owner, name: a.adapterId, version: 1, fileHash: `0x${a.sha256}`, uri: a.uri, rank: 8, pricePer1kTokensWei: '0', datanetIds: ['1'], publishedAt: 1 });
  }
  // registered with a hash the file does not have: the engine refuses it
  await app.ctx.db.insert(adapters).values({ id: '4', baseModelId: '1', owner, name: 'forged', version: 1, fileHash: `0x${sha256Hex(Buffer.from('not the file'))}`, uri: fx.adapters.d.uri, rank: 8, pricePer1kTokensWei: '0', datanetIds: [], publishedAt: 1 });
  await app.ctx.catalog.reload();
  for (let i = 0; i < 2; i++) {
    const engine = new LocalEngine({ baseModelId: '1', runtime: { modelPath: fx.basePath, contexts: 1, contextSize: 512, threads: 1, cacheDir: path.join(dataDir, `cache-${i}`), allowedLocalDirs: [fx.adapterDir], maxAdapterBytes: 1 << 24, adapterMemoryBytes: 1 << 24 } });
    engines.push(engine);
    workers.push(new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: 1, workerId: `w${i}` }));
  }
  await Promise.all(engines.map((e) => e.start()));
  await Promise.all(workers.map((w) => w.start()));
  app.ctx.dispatcher.attachLocal(workers[0]!);
  await app.ctx.dispatcher.refresh('1');
  const wallet = Wallet.createRandom();
  caller = wallet.address;
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: baseUrl, version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString() });
  key = (await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature: await wallet.signMessage(message) } })).json().key;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(engines.map((e) => e.close()));
  if (config) {
    const redis = createRedis(config.redisUrl);
    await deleteKeysWithPrefix(redis, config.queuePrefix);
    redis.disconnect();
  }
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(fx.dir, { recursive: true, force: true });
});

const complete = (model: string, maxTokens = 4) =>
  app.inject({ method: 'POST', url: '/v1/completions', headers: { authorization: `Bearer ${key}` }, payload: { model, prompt: 'fast or slow', max_tokens: maxTokens } });
const rows = () => app.ctx.db.select().from(usageEvents).where(eq(usageEvents.caller, caller));
const paths = () => ({ ...app.ctx.dispatcher.dispatched });
/** The dispatcher's view of the queues is refreshed every 250 ms; a job queued by an earlier test may still be counted as waiting (which keeps requests off the fast path, so as not to overtake it). */
const settle = () => app.ctx.dispatcher.refresh('1');
const until = async (cond: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const failures = async (reason: string) => Number(new RegExp(`gateway_inference_failures_total\\{reason="${reason}"\\} (\\d+)`).exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1] ?? 0);

test('with a free local context the request runs in-process: no queue, one usage row per request', async () => {
  const before = paths();
  const rowsBefore = (await rows()).length;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await complete('base-1');
    expect(res.statusCode).toBe(200);
    ids.push(...(res.json().openledger.usage_ids as string[]));
  }
  expect(paths()).toEqual({ local: before.local + 4, queue: before.queue });
  const after = await rows();
  expect(after.length).toBe(rowsBefore + 4);
  // exactly one row per completed request, the ones the responses named
  expect(new Set(ids).size).toBe(4);
  expect(after.filter((r) => ids.includes(r.usageId))).toHaveLength(4);
  expect(workers[0]!.hasFreeContext()).toBe(true);
});

test('when the local context is busy the request goes through BullMQ; both complete, each metered once', async () => {
  await settle();
  const before = paths();
  const rowsBefore = (await rows()).length;
  const long = complete('base-1', 120); // takes the only local context
  await until(() => !workers[0]!.hasFreeContext());
  const short = await complete('base-1', 4);
  expect(short.statusCode).toBe(200);
  expect((await long).statusCode).toBe(200);
  expect(paths()).toEqual({ local: before.local + 1, queue: before.queue + 1 });
  expect((await rows()).length).toBe(rowsBefore + 2);
});

test('affinity: an adapter resident only on another worker goes to that worker through its queue', async () => {
  const b = fx.adapters.b.sha256;
  // load adapter b on the remote worker w1 only, and let w1 publish it (heartbeat) and the API read it
  await engines[1]!.generate({ requestId: `warm-${Date.now()}`, prompt: 'x', adapters: [fx.adapters.b], maxTokens: 1 });
  await until(async () => (await createRedisSmembers(`${config.queuePrefix}:inference:resident:1:w1`)).includes(b), 10_000);
  await app.ctx.dispatcher.refresh('1'); // the API's view now includes it
  const before = paths();
  const hitsBefore = (await engines[1]!.stats()).adapterCacheHits;
  expect((await complete('adapter-2')).statusCode).toBe(200);
  expect(paths()).toEqual({ local: before.local, queue: before.queue + 1 });
  expect((await engines[1]!.stats()).adapterCacheHits).toBe(hitsBefore + 1);
  expect((await engines[0]!.stats()).loadedAdapters).not.toContain(b);

  // an adapter resident nowhere goes local (and is loaded there); the next request finds it resident locally
  await settle();
  const mid = paths();
  expect((await complete('adapter-3')).statusCode).toBe(200);
  expect((await complete('adapter-3')).statusCode).toBe(200);
  expect(paths()).toEqual({ local: mid.local + 2, queue: mid.queue });
  const s0 = await engines[0]!.stats();
  expect(s0.loadedAdapters).toContain(fx.adapters.c.sha256);
  expect((await engines[1]!.stats()).loadedAdapters).not.toContain(fx.adapters.c.sha256);
});

test('a client disconnect cancels the generation on the fast path; nothing is charged and the context is freed', async () => {
  await settle();
  const before = paths();
  const rowsBefore = (await rows()).length;
  const cancelledBefore = await failures('cancelled');
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/v1/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'base-1', prompt: 'a long story', max_tokens: 450, stream: true }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  await reader.read();
  expect(paths()).toEqual({ local: before.local + 1, queue: before.queue });
  controller.abort();
  await until(async () => (await failures('cancelled')) === cancelledBefore + 1);
  // the engine stopped early: the context is free long before 450 tokens could have been generated
  await until(() => workers[0]!.hasFreeContext(), 3_000);
  await app.ctx.usage.drain();
  expect((await rows()).length).toBe(rowsBefore);
});

test('a request past its deadline fails with timeout on the fast path, is aborted in the engine, and frees the context', async () => {
  const impatient = new InferenceDispatcher({ redisUrl: config.redisUrl, prefix: config.queuePrefix, maxQueueDepth: 10, requestTimeoutMs: 60 });
  await impatient.start();
  impatient.attachLocal(workers[0]!);
  try {
    await impatient.refresh('1');
    const started = performance.now();
    await expect(impatient.dispatch('1', { requestId: `slow-${Date.now()}`, prompt: 'go on', adapters: [], maxTokens: 400 })).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(impatient.dispatched).toEqual({ local: 1, queue: 0 });
    await until(() => workers[0]!.hasFreeContext(), 3_000);
  } finally {
    await impatient.close();
  }
  expect((await complete('base-1')).statusCode).toBe(200);
});

test('a queue count that went stale when the queue drained keeps the fast path off for one request, not until the next refresh', async () => {
  // the periodic refresh is set an hour apart: only the dispatcher's own re-read can bring the fast path back
  const d = new InferenceDispatcher({ redisUrl: config.redisUrl, prefix: config.queuePrefix, maxQueueDepth: 10, requestTimeoutMs: 30_000, routingRefreshMs: 3_600_000 });
  await d.start();
  d.attachLocal(workers[0]!);
  const connection = createRedis(config.redisUrl);
  const shared = new Queue<InferenceJob>(sharedQueueName('1'), { connection, prefix: config.queuePrefix });
  try {
    // someone else's job, delayed so the dispatcher sees it waiting; a worker then serves it (its reply goes nowhere)
    const request = { requestId: `other-${Date.now()}`, prompt: 'queued elsewhere', adapters: [], maxTokens: 1 };
    await shared.add('generate', { requestId: request.requestId, replyTo: `${config.queuePrefix}:nobody`, request, stream: false, deadline: Date.now() + 30_000 }, { jobId: request.requestId, delay: 100, removeOnComplete: true, removeOnFail: true });
    await d.refresh('1');
    expect(d.queueDepth('1')).toBe(1);
    await until(async () => Object.values(await shared.getJobCounts('waiting', 'delayed', 'active')).every((n) => n === 0));
    // the view is stale now: the next request queues (no overtaking what it believes is waiting) and re-reads it
    await d.dispatch('1', { requestId: `after-1-${Date.now()}`, prompt: 'hi', adapters: [], maxTokens: 1 });
    expect(d.dispatched).toEqual({ local: 0, queue: 1 });
    await until(() => d.queueDepth('1') === 0, 2_000);
    await d.dispatch('1', { requestId: `after-2-${Date.now()}`, prompt: 'hi', adapters: [], maxTokens: 1 });
    expect(d.dispatched).toEqual({ local: 1, queue: 1 });
  } finally {
    await shared.close();
    connection.disconnect();
    await d.close();
  }
});

test('a failed request on the fast path is not charged', async () => {
  await settle();
  const before = paths();
  const rowsBefore = (await rows()).length;
  const forged = await complete('adapter-4');
  expect(forged.statusCode).toBe(422);
  expect(forged.json()).toMatchObject({ reason: 'adapter_hash_mismatch' });
  expect(paths()).toEqual({ local: before.local + 1, queue: before.queue });
  expect((await rows()).length).toBe(rowsBefore);
});

test('the bounded queue counts fast-path requests too: beyond it 429 + Retry-After', async () => {
  await settle();
  const before = paths();
  const results = await Promise.all(Array.from({ length: 5 }, () => complete('base-1', 80)));
  const statuses = results.map((r) => r.statusCode);
  expect(statuses.filter((s) => s === 200)).toHaveLength(2); // MAX_QUEUE_DEPTH 2
  const busy = results.filter((r) => r.statusCode === 429);
  expect(busy).toHaveLength(3);
  expect(busy[0]!.json().reason).toBe('queue-full');
  expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThan(0);
  // one ran on the local context, the other waited for an engine through the queue
  expect(paths()).toEqual({ local: before.local + 1, queue: before.queue + 1 });
});

test("/metrics reads this process's engine counters at scrape time, not from the last heartbeat", async () => {
  await settle();
  const gauge = (body: string, name: string) => Number(new RegExp(`${name}\\{worker="1:w0"\\} ([0-9.e-]+)`).exec(body)?.[1]);
  // two fast-path uses of one adapter: a load (resident set changes) then a cache hit (it does not, so no publish)
  for (let i = 0; i < 2; i++) expect((await complete('adapter-1')).statusCode).toBe(200);
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const s = await engines[0]!.stats();
  expect(s.adapterCacheHits).toBeGreaterThan(0);
  expect(gauge(body, 'engine_adapter_cache_hit_ratio')).toBeCloseTo(s.adapterCacheHits / (s.adapterCacheHits + s.adapterCacheMisses), 6);
  expect(gauge(body, 'engine_adapter_loads')).toBe(s.adapterLoads);
  // the remote worker's line is still there, from its heartbeat
  expect(body).toMatch(/engine_adapter_loads\{worker="1:w1"\} \d+/);
});

async function createRedisSmembers(k: string): Promise<string[]> {
  const r = createRedis(config.redisUrl);
  try {
    return await r.smembers(k);
  } finally {
    r.disconnect();
  }
}
