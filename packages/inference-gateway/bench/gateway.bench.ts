/**
 * Gateway figures: overhead per request against calling the engine directly, and /v1/models throughput.
 * Needs Redis (REDIS_URL); the database is a fresh one on DATABASE_URL's server, or a temp PGlite. The base model row is inserted directly (no chain).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { buildSiweMessage } from '@openledger/sdk';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { baseModels } from '../src/db/schema.js';
import { createEngine } from '../src/workers/engine-factory.js';
import { InferenceWorker } from '../src/workers/inference-worker.js';
import { createEngineFixtures, sha256Hex } from '../src/testing/fixtures.js';
import { readFile } from 'node:fs/promises';
import { createRedis } from '@openledger/service-kit';
import { createTestDatabase } from '@openledger/service-kit/testing';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const line = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

const fx = await createEngineFixtures();
const testDb = await createTestDatabase('gateway_bench'); // a fresh database (dropped at the end), never a shared one
const dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-bench-'));
const port = 18000 + Math.floor(Math.random() * 2000);
const config = loadConfig({
  PORT: String(port),
  DATA_DIR: dataDir,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  DATABASE_URL: testDb.url,
  BASE_MODEL_ID: '1',
  BASE_MODEL_PATH: fx.basePath,
  ENGINE_CONTEXTS: '1',
  ENGINE_CONTEXT_SIZE: '256',
  RATE_LIMIT_PER_MINUTE: '1000000',
  MAX_QUEUE_DEPTH: '1000',
  QUEUE_PREFIX: `gwbench-${process.pid}`,
  LOG_LEVEL: 'error',
});
const app = await buildApp(config);
await app.ctx.db.insert(baseModels).values({ id: '1', owner: Wallet.createRandom().address, name: 'tiny', fileHash: `0x${sha256Hex(await readFile(fx.basePath))}`, uri: 'file://base.gguf' });
await app.ctx.catalog.reload();
await app.listen({ host: '127.0.0.1', port });
const engine = createEngine(config, 0, () => undefined);
const worker = new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: 1 });
await worker.start();
try {
  const wallet = Wallet.createRandom();
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: `http://127.0.0.1:${port}`, version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString() });
  const key = (await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature: await wallet.signMessage(message) } })).json().key as string;

  const N = 300;
  const direct: number[] = [];
  for (let i = 0; i < 20; i++) await engine.generate({ requestId: 'w', prompt: 'hi', adapters: [], maxTokens: 1 });
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await engine.generate({ requestId: String(i), prompt: 'hi', adapters: [], maxTokens: 1 });
    direct.push(performance.now() - t);
  }
  const viaGateway: number[] = [];
  const body = JSON.stringify({ model: 'base-1', prompt: 'hi', max_tokens: 1 });
  const call = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 20; i++) await call();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await call();
    viaGateway.push(performance.now() - t);
  }
  const viaInject: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const res = await app.inject({ method: 'POST', url: '/v1/completions', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: body });
    if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode}`);
    viaInject.push(performance.now() - t);
  }
  const d50 = quantile(direct, 0.5);
  const g50 = quantile(viaGateway, 0.5);
  line('engine direct (IPC to child), 1 token, p50', `${d50.toFixed(2)} ms`);
  line('through the gateway (HTTP+auth+rate+BullMQ+usage), p50', `${g50.toFixed(2)} ms (p99 ${quantile(viaGateway, 0.99).toFixed(2)} ms)`);
  line('gateway overhead per request, p50', `${(g50 - d50).toFixed(2)} ms`);
  line('gateway overhead without sockets (app.inject), p50', `${(quantile(viaInject, 0.5) - d50).toFixed(2)} ms`);

  // where the overhead goes: the BullMQ + pub/sub hop, the usage row, the Redis rate-limit counter
  const hop: number[] = [];
  const record: number[] = [];
  const rate: number[] = [];
  const owner = '0x0000000000000000000000000000000000000001' as const;
  for (let i = 0; i < 150; i++) {
    let t = performance.now();
    await app.ctx.dispatcher.dispatch('1', { requestId: `hop-${i}-${Date.now()}`, prompt: 'hi', adapters: [], maxTokens: 1 });
    hop.push(performance.now() - t);
    t = performance.now();
    await app.ctx.usage.record({ apiKeyId: 'bench', caller: owner, adapterId: '0', adapterVersion: 0, baseModelId: '1', modelOwner: owner, datanetIds: [], promptText: 'hi', outputText: 'x', promptTokenIds: [1, 2], outputTokenIds: [3], promptTokens: 2, completionTokens: 1, pricePer1kTokensWei: 0n });
    record.push(performance.now() - t);
    t = performance.now();
    await app.ctx.rateLimiter.check('bench');
    rate.push(performance.now() - t);
  }
  line('  of which BullMQ + pub/sub hop (dispatch - direct), p50', `${(quantile(hop, 0.5) - d50).toFixed(2)} ms`);
  line('  of which usage event row (PGlite insert), p50', `${quantile(record, 0.5).toFixed(2)} ms`);
  line('  of which rate-limit counter (Redis), p50', `${quantile(rate, 0.5).toFixed(2)} ms`);

  const durationMs = 5_000;
  const concurrency = 32;
  let done = 0;
  const until = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const res = await fetch(`http://127.0.0.1:${port}/v1/models`);
        await res.arrayBuffer();
        done++;
      }
    }),
  );
  line(`GET /v1/models, ${concurrency} concurrent clients in-process`, `${(done / (durationMs / 1000)).toFixed(0)} req/s`);
  const injected = performance.now();
  for (let i = 0; i < 2000; i++) await app.inject({ method: 'GET', url: '/v1/models' });
  line('GET /v1/models via app.inject (no socket)', `${(2000 / ((performance.now() - injected) / 1000)).toFixed(0)} req/s`);
} finally {
  await worker.close();
  await engine.close();
  await app.close();
  const redis = createRedis(config.redisUrl);
  await deleteKeysWithPrefix(redis, config.queuePrefix);
  redis.disconnect();
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(fx.dir, { recursive: true, force: true });
}
