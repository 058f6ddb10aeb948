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
import Fastify from 'fastify';
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
// where the client's time goes outside the server's own clock: before Fastify's onRequest, after onResponse
const edges = { onRequest: 0, onResponse: 0 };
app.addHook('onRequest', async () => {
  edges.onRequest = performance.now();
});
app.addHook('onResponse', async () => {
  edges.onResponse = performance.now();
});
await app.listen({ host: '127.0.0.1', port });
const engine = createEngine(config, 0, () => undefined);
const worker = new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: 1 });
await worker.start();
// the engine behind a bare HTTP route (what any engine server costs: HTTP + JSON, no gateway features)
const bare = Fastify();
bare.post('/v1/completions', async (request) => {
  const { prompt, max_tokens } = request.body as { prompt: string; max_tokens: number };
  const r = await engine.generate({ requestId: `b${performance.now()}`, prompt, adapters: [], maxTokens: max_tokens });
  return { object: 'text_completion', choices: [{ index: 0, text: r.text, finish_reason: r.finishReason }], usage: { prompt_tokens: r.promptTokenIds.length, completion_tokens: r.outputTokenIds.length } };
});
const barePort = port + 1;
await bare.listen({ host: '127.0.0.1', port: barePort });
console.log(`database: ${testDb.kind}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
try {
  const wallet = Wallet.createRandom();
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: `http://127.0.0.1:${port}`, version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString() });
  const key = (await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature: await wallet.signMessage(message) } })).json().key as string;

  // the caller has a stored SpendingAuthorization, so every usage row is attributable and queued for attribution
  await app.ctx.db.insert(spendingAuthorizations).values({ payer: wallet.address, operator: config.operatorAddress, capWei: (10n ** 24n).toString(), expiry: Math.floor(Date.now() / 1000) + 86_400, signature: `0x${'1'.repeat(130)}` });

  // a keep-alive HTTP/1.1 client on one socket (what a real client does; the global fetch is compared below)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ model: 'base-1', prompt: 'hi', max_tokens: 1 });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  const post = (to = port) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: to, method: 'POST', path: '/v1/completions', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`gateway answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const healthz = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
  const viaFetch = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/completions`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  let n = 0;
  const direct = () => engine.generate({ requestId: `d${n++}`, prompt: 'hi', adapters: [], maxTokens: 1 });
  const pause = () => new Promise((r) => setTimeout(r, 2));

  // Every variant runs in rounds of 25, interleaved, so a change in the machine's load hits all of them alike.
  interface Variant { name: string; call: () => Promise<unknown>; before?: () => Promise<unknown>; path?: 'local' | 'queue'; timings?: StageTimings; xs: number[] }
  const variants: Variant[] = [
    { name: 'engine direct, back to back', call: direct, xs: [] },
    { name: 'engine direct, caller idle 2 ms between calls', call: direct, before: pause, xs: [] },
    { name: 'engine behind a bare HTTP route, same client', call: () => post(barePort), xs: [] },
    { name: 'fast path over HTTP keep-alive', call: () => post(), path: 'local', timings: new StageTimings(), xs: [] },
    { name: 'BullMQ path over HTTP keep-alive', call: () => post(), path: 'queue', timings: new StageTimings(), xs: [] },
    { name: 'fast path, global fetch client', call: viaFetch, path: 'local', xs: [] },
    { name: 'HTTP floor: GET /healthz, same client', call: healthz, xs: [] },
    { name: 'fast path, app.inject (no socket)', call: () => app.inject({ method: 'POST', url: '/v1/completions', headers, payload: body }), path: 'local', xs: [] },
  ];
  const N = Number(process.env.BENCH_N ?? 400);
  const ROUND = 25;
  for (let round = 0; round <= N / ROUND; round++) {
    for (const v of variants) {
      if (v.path === 'queue') app.ctx.dispatcher.detachLocal(worker);
      else app.ctx.dispatcher.attachLocal(worker);
      if (v.path) await app.ctx.dispatcher.refresh('1'); // the queue is empty again: no stale count keeps the fast path off
      app.ctx.stageTimings = round === 0 ? undefined : v.timings; // round 0 warms up
      const before = { ...app.ctx.dispatcher.dispatched };
      for (let i = 0; i < ROUND; i++) {
        await v.before?.();
        const t = performance.now();
        await v.call();
        const end = performance.now();
        if (round > 0) {
          v.xs.push(end - t);
          if (v.timings && v.call !== viaFetch) {
            v.timings.add('client → Fastify onRequest (client, socket, HTTP parse)', edges.onRequest - t);
            v.timings.add('Fastify onResponse → client has the body', end - edges.onResponse);
          }
        }
      }
      app.ctx.dispatcher.detachLocal(worker);
      const other = v.path === 'local' ? 'queue' : 'local';
      if (v.path && app.ctx.dispatcher.dispatched[other] !== before[other]) throw new Error(`${v.name}: requests took the ${other} path`);
    }
  }
  app.ctx.stageTimings = undefined;
  agent.destroy();
  await app.ctx.usage.drain();

  const p = (v: Variant, q: number) => quantile(v.xs, q);
  const [d, paced, bareHttp, fast, queued, fetched, floor, injected] = variants as [Variant, Variant, Variant, Variant, Variant, Variant, Variant, Variant];
  line('engine direct (IPC to child), 1 token, back to back, p50 / p99', `${p(d, 0.5).toFixed(2)} / ${p(d, 0.99).toFixed(2)} ms`);
  line('engine direct, caller idle 2 ms between calls, p50 / p99', `${p(paced, 0.5).toFixed(2)} / ${p(paced, 0.99).toFixed(2)} ms`);
  line(`${bareHttp.name}, p50 / p99`, `${p(bareHttp, 0.5).toFixed(2)} / ${p(bareHttp, 0.99).toFixed(2)} ms`);
  for (const v of [fast, queued]) {
    line(`gateway, ${v.name}, p50 / p99`, `${p(v, 0.5).toFixed(2)} / ${p(v, 0.99).toFixed(2)} ms`);
    line('  overhead vs engine direct back to back / idle-paced, p50', `${(p(v, 0.5) - p(d, 0.5)).toFixed(2)} / ${(p(v, 0.5) - p(paced, 0.5)).toFixed(2)} ms`);
    line('  overhead vs the engine behind a bare HTTP route, p50', `${(p(v, 0.5) - p(bareHttp, 0.5)).toFixed(2)} ms`);
    console.log('  per stage, server side (p50 / p99 ms):');
    for (const s of v.timings!.summary()) line(`    ${s.stage}`, `${s.p50.toFixed(3)} / ${s.p99.toFixed(3)}`);
  }
  line(`gateway, ${fetched.name}, p50`, `${p(fetched, 0.5).toFixed(2)} ms`);
  line(`gateway, ${injected.name}, p50`, `${p(injected, 0.5).toFixed(2)} ms`);
  line(floor.name, `${p(floor, 0.5).toFixed(2)} ms p50`);

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
  await bare.close();
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
