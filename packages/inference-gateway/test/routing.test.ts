import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import type { FastifyInstance } from 'fastify';
import { buildSiweMessage } from '@openledger/sdk';
import { testRedisUrl } from '@openledger/service-kit/testing';
import { buildApp } from '../src/app.js';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';
import { createRedis } from '@openledger/service-kit';
import { loadConfig, type GatewayConfig } from '../src/config.js';
import { adapters, baseModels, usageEvents } from '../src/db/schema.js';
import { LocalEngine } from '../src/engine/local-engine.js';
import { InferenceWorker } from '../src/workers/inference-worker.js';
import { InferenceDispatcher } from '../src/services/dispatcher.js';
import { createEngineFixtures, sha256Hex, type EngineFixtures } from '../src/testing/fixtures.js';
import { readFile } from 'node:fs/promises';

// Two engine workers behind one base model: requests for an adapter go to the worker that already holds it.
// The registry rows are seeded directly (free adapters, no chain): the mirror itself is covered in gateway.test.ts.
let fx: EngineFixtures;
let dataDir: string;
let config: GatewayConfig;
let app: FastifyInstance;
const engines: LocalEngine[] = [];
const workers: InferenceWorker[] = [];
let key: string;

beforeAll(async () => {
  fx = await createEngineFixtures();
  dataDir = await mkdtemp(path.join(tmpdir(), 'routing-'));
  config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: testRedisUrl(), BASE_MODEL_PATH: fx.basePath, QUEUE_PREFIX: `route-${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'warn' });
  app = await buildApp(config);
  const owner = Wallet.createRandom().address;
  await app.ctx.db.insert(baseModels).values({ id: '1', owner, name: 'tiny', fileHash: `0x${sha256Hex(await readFile(fx.basePath))}`, uri: 'file://base' });
  for (const [id, a] of [['1', fx.adapters.a], ['2', fx.adapters.b]] as const) {
    await app.ctx.db.insert(adapters).values({ id, baseModelId: '1', owner, name: a.adapterId, version: 1, fileHash: `0x${a.sha256}`, uri: a.uri, rank: 8, pricePer1kTokensWei: '0', datanetIds: ['1'], publishedAt: 1 });
  }
  await app.ctx.catalog.reload();
  for (let i = 0; i < 2; i++) {
    const engine = new LocalEngine({ baseModelId: '1', runtime: { modelPath: fx.basePath, contexts: 1, contextSize: 256, threads: 1, cacheDir: path.join(dataDir, `cache-${i}`), allowedLocalDirs: [fx.adapterDir], maxAdapterBytes: 1 << 24, adapterMemoryBytes: 1 << 24 } });
    const worker = new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: 1, workerId: `w${i}` });
    engines.push(engine);
    workers.push(worker);
  }
  await Promise.all(engines.map((e) => e.start()));
  await Promise.all(workers.map((w) => w.start()));
  const wallet = Wallet.createRandom();
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: 'http://127.0.0.1', version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString() });
  key = (await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature: await wallet.signMessage(message) } })).json().key;
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(engines.map((e) => e.close()));
  await app?.close();
  if (config) {
    const redis = createRedis(config.redisUrl);
    await deleteKeysWithPrefix(redis, config.queuePrefix);
    redis.disconnect();
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(fx.dir, { recursive: true, force: true });
});

const complete = (model: string) =>
  app.inject({ method: 'POST', url: '/v1/completions', headers: { authorization: `Bearer ${key}` }, payload: { model, prompt: 'route me', max_tokens: 4 } });

test('an adapter goes to the engine worker where it is already loaded', async () => {
  expect((await complete('adapter-1')).statusCode).toBe(200);
  await new Promise((r) => setTimeout(r, 600)); // the worker publishes its resident set, the API refreshes its view
  for (let i = 0; i < 6; i++) expect((await complete('adapter-1')).statusCode).toBe(200);
  const stats = await Promise.all(engines.map((e) => e.stats()));
  // loaded once in total: every later request went to the worker that held it
  expect(stats.reduce((s, x) => s + x.adapterLoads, 0)).toBe(1);
  expect(stats.map((s) => s.adapterCacheHits).sort()).toEqual([0, 6]);
  expect(await app.ctx.dispatcher.liveWorkers('1')).toBe(2);
  // no worker lives in the API's process here: every request went through BullMQ
  expect(app.ctx.dispatcher.dispatched).toEqual({ local: 0, queue: 7 });
  // free requests without a SpendingAuthorization are recorded, but there is nothing to attribute or collect
  const rows = await app.ctx.db.select().from(usageEvents);
  expect(rows).toHaveLength(7);
  expect(rows.every((r) => !r.attributable && r.enqueuedAt === null && r.feeWei === '0')).toBe(true);
});

test('a request past its deadline fails with timeout and is cancelled in the engine', async () => {
  const impatient = new InferenceDispatcher({ redisUrl: config.redisUrl, prefix: config.queuePrefix, maxQueueDepth: 10, requestTimeoutMs: 40 });
  await impatient.start();
  try {
    const started = performance.now();
    await expect(impatient.dispatch('1', { requestId: `slow-${Date.now()}`, prompt: 'go on', adapters: [], maxTokens: 240 })).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_000);
    // the engines stay usable
    expect((await complete('adapter-2')).statusCode).toBe(200);
  } finally {
    await impatient.close();
  }
});

test('bad input gets a problem+json answer naming what is wrong', async () => {
  const auth = { authorization: `Bearer ${key}` };
  const noKey = await app.inject({ method: 'POST', url: '/v1/completions', payload: { model: 'adapter-1', prompt: 'x' } });
  expect(noKey.statusCode).toBe(401);
  expect(noKey.headers['content-type']).toMatch(/application\/problem\+json/);
  const unknown = await app.inject({ method: 'POST', url: '/v1/completions', headers: auth, payload: { model: 'adapter-99', prompt: 'x' } });
  expect(unknown.json()).toMatchObject({ status: 404 });
  expect(unknown.json().detail).toMatch(/adapter-99/);
  const tooMany = await app.inject({ method: 'POST', url: '/v1/completions', headers: auth, payload: { model: 'adapter-1', prompt: 'x', max_tokens: 100_000 } });
  expect(tooMany.json()).toMatchObject({ status: 400 });
  expect(tooMany.json().detail).toMatch(/max_tokens/);
  const badTemp = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'adapter-1', messages: [{ role: 'user', content: 'x' }], temperature: 7 } });
  expect(badTemp.json()).toMatchObject({ status: 400 });
  expect(badTemp.json().detail).toMatch(/temperature/);
  const badStack = await app.inject({ method: 'POST', url: '/v1/completions', headers: auth, payload: { model: 'adapter-1', prompt: 'x', lora: [{ model: 'base-1', scale: 1 }] } });
  expect(badStack.json().detail).toMatch(/base model, not an adapter/);

  // adapter uploads: GGUF only, content-addressed, downloadable by hash
  const notGguf = await app.inject({ method: 'POST', url: '/v1/adapters/files', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from('definitely not a model') });
  expect(notGguf.json()).toMatchObject({ status: 415 });
  const bytes = await readFile(fx.adapters.c.uri);
  const up = await app.inject({ method: 'POST', url: '/v1/adapters/files', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: bytes });
  expect(up.statusCode).toBe(201);
  expect(up.json().sha256).toBe(fx.adapters.c.sha256);
  const again = await app.inject({ method: 'POST', url: '/v1/adapters/files', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: bytes });
  expect(again.statusCode).toBe(200);
  const down = await app.inject({ method: 'GET', url: `/v1/adapters/files/${fx.adapters.c.sha256}` });
  expect(sha256Hex(down.rawPayload)).toBe(fx.adapters.c.sha256);
  expect((await app.inject({ method: 'GET', url: `/v1/adapters/files/${'0'.repeat(64)}` })).statusCode).toBe(404);
});
