/**
 * Gateway figures: overhead per request against calling the engine directly — on the fast path (an engine
 * worker in the API's process has a free context) and through BullMQ — with a per-stage breakdown, and
 * /v1/models throughput.
 * Needs Redis (REDIS_URL); the database is a fresh one on DATABASE_URL's server, or a temp PGlite. The base model row is inserted directly (no chain).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { buildSiweMessage } from '@openledger/sdk';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { baseModels, spendingAuthorizations } from '../src/db/schema.js';
import { StageTimings } from '../src/services/stage-timings.js';
import { createEngine } from '../src/workers/engine-factory.js';
import { InferenceWorker } from '../src/workers/inference-worker.js';
import { createEngineFixtures, sha256Hex } from '../src/testing/fixtures.js';
import { readFile } from 'node:fs/promises';
import { createRedis } from '@openledger/service-kit';
import { createTestDatabase } from '@openledger/service-kit/testing';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const line = (name: string, value: string) => console.log(`${name.padEnd(70)} ${value}`);

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
app.ctx.dispatcher.attachLocal(worker);
console.log(`database: ${testDb.kind}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
try {
  const wallet = Wallet.createRandom();
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: `http://127.0.0.1:${port}`, version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString() });
  const key = (await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature: await wallet.signMessage(message) } })).json().key as string;

  // the caller has a stored SpendingAuthorization, so every usage row is attributable and queued for attribution
  await app.ctx.db.insert(spendingAuthorizations).values({ payer: wallet.address, operator: config.operatorAddress, capWei: (10n ** 24n).toString(), expiry: Math.floor(Date.now() / 1000) + 86_400, signature: `0x${'1'.repeat(130)}` });

  const N = Number(process.env.BENCH_N ?? 400);
  const direct: number[] = [];
  for (let i = 0; i < 30; i++) await engine.generate({ requestId: 'w', prompt: 'hi', adapters: [], maxTokens: 1 });
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await engine.generate({ requestId: String(i), prompt: 'hi', adapters: [], maxTokens: 1 });
    direct.push(performance.now() - t);
  }

  // a keep-alive HTTP/1.1 client on one socket (the global fetch costs ~0.6 ms more per request here, see below)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ model: 'base-1', prompt: 'hi', max_tokens: 1 });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/completions', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`gateway answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const viaFetch = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/completions`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const sample = async (call: () => Promise<unknown>, n = N) => {
    for (let i = 0; i < 30; i++) await call();
    app.ctx.stageTimings?.reset();
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await call();
      xs.push(performance.now() - t);
    }
    return xs;
  };
  const timings = new StageTimings();
  app.ctx.stageTimings = timings;
  const breakdown = (label: string) => {
    console.log(`  per stage on the ${label} (server side, p50 / p99 ms):`);
    for (const s of timings.summary()) line(`    ${s.stage}`, `${s.p50.toFixed(3)} / ${s.p99.toFixed(3)}`);
  };

  const d50 = quantile(direct, 0.5);
  line('engine direct (IPC to child), 1 token, p50 / p99', `${d50.toFixed(2)} / ${quantile(direct, 0.99).toFixed(2)} ms`);
  const before = { ...app.ctx.dispatcher.dispatched };
  const fast = await sample(post);
  if (app.ctx.dispatcher.dispatched.queue !== before.queue) throw new Error('the fast path bench went through the queue');
  const f50 = quantile(fast, 0.5);
  line('gateway over HTTP keep-alive, fast path (local engine), p50 / p99', `${f50.toFixed(2)} / ${quantile(fast, 0.99).toFixed(2)} ms`);
  line('  overhead (gateway - engine direct), p50', `${(f50 - d50).toFixed(2)} ms`);
  breakdown('fast path');

  app.ctx.dispatcher.detachLocal(worker);
  const queued = await sample(post);
  if (app.ctx.dispatcher.dispatched.local !== before.local + N + 30) throw new Error('the queue bench used the fast path');
  const q50 = quantile(queued, 0.5);
  line('gateway over HTTP keep-alive, BullMQ path (pub/sub reply), p50 / p99', `${q50.toFixed(2)} / ${quantile(queued, 0.99).toFixed(2)} ms`);
  line('  overhead (gateway - engine direct), p50', `${(q50 - d50).toFixed(2)} ms`);
  breakdown('BullMQ path');
  app.ctx.dispatcher.attachLocal(worker);

  const fetched = await sample(viaFetch, 200);
  line('fast path with the global fetch (undici) instead, p50', `${quantile(fetched, 0.5).toFixed(2)} ms`);
  const injected = await sample(() => app.inject({ method: 'POST', url: '/v1/completions', headers, payload: body }), 200);
  line('fast path via app.inject (no socket), p50', `${quantile(injected, 0.5).toFixed(2)} ms`);
  app.ctx.stageTimings = undefined;
  agent.destroy();
  await app.ctx.usage.drain();

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
  const injectedAt = performance.now();
  for (let i = 0; i < 2000; i++) await app.inject({ method: 'GET', url: '/v1/models' });
  line('GET /v1/models via app.inject (no socket)', `${(2000 / ((performance.now() - injectedAt) / 1000)).toFixed(0)} req/s`);
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
