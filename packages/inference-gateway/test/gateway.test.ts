import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildSiweMessage, connectDeployment, spendingAuthorizationTypedData } from '@openledger/sdk';
import { freePort } from '@openledger/sdk/testing';
import { createRedis, QUEUES, usageJobId, type UsageEventJob } from '@openledger/service-kit';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
import { buildApp } from '../src/app.js';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';
import { loadConfig, type GatewayConfig } from '../src/config.js';
import { usageEvents } from '../src/db/schema.js';
import { createEngine } from '../src/workers/engine-factory.js';
import { InferenceWorker } from '../src/workers/inference-worker.js';
import type { Engine } from '../src/engine/types.js';
import { createEngineFixtures, type EngineFixtures } from '../src/testing/fixtures.js';
import { fundEscrow, startTestChain, type TestChain } from './helpers/chain.js';

const OWNER = 6;
const CALLER = 7;
const POOR_CALLER = 8;
const NO_AUTH_CALLER = 9;
const PRICE = 10n ** 15n; // 0.001 OPEN per 1k tokens

let chain: TestChain;
let fx: EngineFixtures;
let db: TestDatabase;
let dataDir: string;
let config: GatewayConfig;
let app: FastifyInstance;
let engine: Engine;
let worker: InferenceWorker;
let baseUrl: string;
const keys: Record<number, string> = {};
const models: Record<string, string> = {};

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function signIn(index: number): Promise<string> {
  const wallet = chain.wallet(index);
  const nonce = (await app.inject({ method: 'POST', url: '/v1/auth/nonce' })).json().nonce as string;
  const message = buildSiweMessage({ domain: config.siweDomain, address: wallet.address, uri: baseUrl, version: '1', chainId: 31337, nonce, issuedAt: new Date().toISOString(), statement: 'Create an OpenLedger API key' });
  const signature = await wallet.signMessage(message);
  const res = await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature, label: `wallet ${index}` } });
  expect(res.statusCode).toBe(201);
  // the same signed message cannot be used twice
  const replay = await app.inject({ method: 'POST', url: '/v1/auth/keys', payload: { message, signature } });
  expect(replay.statusCode).toBe(401);
  return res.json().key as string;
}

async function authorize(index: number, capOpen: bigint): Promise<void> {
  const wallet = chain.wallet(index);
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const message = { payer: wallet.address, operator: config.operatorAddress, cap: capOpen, expiry };
  const typed = spendingAuthorizationTypedData({ chainId: 31337, escrow: chain.deployment.contracts.FeeEscrow, message });
  const signature = await wallet.signTypedData(typed.domain, typed.types as never, typed.message);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/credit/authorization',
    headers: { authorization: `Bearer ${keys[index]}` },
    payload: { payer: wallet.address, operator: config.operatorAddress, cap: capOpen.toString(), expiry: Number(expiry), signature },
  });
  expect(res.statusCode).toBe(200);
}

async function upload(file: string): Promise<{ sha256: string; uri: string }> {
  const res = await app.inject({ method: 'POST', url: '/v1/adapters/files', headers: { authorization: `Bearer ${keys[OWNER]}`, 'content-type': 'application/octet-stream' }, payload: await readFile(file) });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const chat = (index: number, model: string, extra: Record<string, unknown> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${keys[index]}` },
    payload: { model, messages: [{ role: 'user', content: 'tell me about the data' }], max_tokens: 16, temperature: 0, ...extra },
  });

const usageRows = (caller: string) => app.ctx.db.select().from(usageEvents).where(eq(usageEvents.caller, caller));

beforeAll(async () => {
  [chain, fx, db] = await Promise.all([startTestChain(), createEngineFixtures(), createTestDatabase('inference_gateway')]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    RPC_URL: chain.anvil.rpcUrl,
    CHAIN_ID: '31337',
    OPERATOR_ADDRESS: chain.wallet(5).address,
    BASE_MODEL_ID: '1',
    BASE_MODEL_PATH: fx.basePath,
    ENGINE_CONTEXTS: '2',
    ENGINE_CONTEXT_SIZE: '512',
    RATE_LIMIT_PER_MINUTE: '40',
    MAX_QUEUE_DEPTH: '3',
    QUEUE_PREFIX: `gwtest-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
  });
  if (!db.url) config.databaseUrl = undefined;
  app = await buildApp(config, { deployment: chain.deployment });
  await app.listen({ host: '127.0.0.1', port });
  engine = createEngine(config, 0, () => undefined);
  worker = new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: 2 });
  await worker.start();
  app.ctx.dispatcher.attachLocal(worker); // as main.ts does: the fast path serves while this worker has a free context

  for (const i of [OWNER, CALLER, POOR_CALLER, NO_AUTH_CALLER]) keys[i] = await signIn(i);
  // the model owner uploads adapter files, then registers them on chain
  const files = { alpha: await upload(fx.adapters.a.uri), beta: await upload(fx.adapters.b.uri), broken: await upload(fx.adapters.corrupt.uri) };
  const owner = connectDeployment(chain.deployment, chain.wallet(OWNER));
  await (await owner.DatanetRegistry.createDatanet('medical-notes', 'ipfs://meta', 0, [])).wait();
  await (await owner.ModelRegistry.registerBaseModel('tiny-llama', `0x${sha256(await readFile(fx.basePath))}`, `file://${fx.basePath}`)).wait();
  for (const [name, f] of Object.entries(files)) {
    await (await owner.ModelRegistry.registerAdapter(1, name, `0x${f.sha256}`, f.uri, 8, [1], name === 'beta' ? 2n * PRICE : PRICE)).wait();
  }
  // registered with a hash no served file has: the engine must refuse what it downloads
  await (await owner.ModelRegistry.registerAdapter(1, 'forged', `0x${sha256(Buffer.from('not the file'))}`, files.beta.uri, 8, [1], PRICE)).wait();
  await app.mirror!.syncToHead();
  await app.ctx.catalog.reload();
  for (const m of (await app.inject({ method: 'GET', url: '/v1/models' })).json().data as { id: string; name: string }[]) models[m.name] = m.id;

  await fundEscrow(chain, CALLER, '10');
  await authorize(CALLER, 10n ** 18n);
  await fundEscrow(chain, POOR_CALLER, '0.000001');
  await authorize(POOR_CALLER, 10n ** 18n);
}, 240_000);

afterAll(async () => {
  await worker?.close();
  await engine?.close();
  await app?.close();
  if (config) {
    const redis = createRedis(config.redisUrl);
    await deleteKeysWithPrefix(redis, config.queuePrefix);
    redis.disconnect();
  }
  await chain?.stop();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(fx.dir, { recursive: true, force: true });
});

test('/v1/models lists the mirrored base model and adapters with owner, datanets and price', async () => {
  const res = await app.inject({ method: 'GET', url: '/v1/models' });
  expect(res.statusCode).toBe(200);
  const data = res.json().data as Record<string, unknown>[];
  const alpha = data.find((m) => m.name === 'alpha')!;
  expect(alpha).toMatchObject({ id: 'adapter-1', object: 'model', kind: 'adapter', owned_by: chain.wallet(OWNER).address, base_model: 'base-1', datanet_ids: ['1'], price_per_1k_tokens_wei: PRICE.toString(), sha256: fx.adapters.a.sha256 });
  expect(data.find((m) => m.id === 'base-1')).toMatchObject({ kind: 'base', name: 'tiny-llama' });
  expect(data.map((m) => m.name).sort()).toEqual(['alpha', 'beta', 'broken', 'forged', 'tiny-llama']);
});

test('the official openai client works unchanged: two adapters give different, deterministic answers', async () => {
  const client = new OpenAI({ apiKey: keys[CALLER], baseURL: `${baseUrl}/v1` });
  const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'what do you know?' }], max_tokens: 12, temperature: 0 });
  const a1 = await ask(models.alpha!);
  const b1 = await ask(models.beta!);
  const a2 = await ask(models.alpha!);
  expect(a1.choices[0]!.message.content).toBe(a2.choices[0]!.message.content);
  expect(a1.choices[0]!.message.content).not.toBe(b1.choices[0]!.message.content);
  expect(a1.usage!.completion_tokens).toBe(12);
  expect(a1.choices[0]!.finish_reason).toBe('length');
  // every completed request wrote one usage event, stored and queued for attribution
  await app.ctx.usage.drain();
  const rows = await usageRows(chain.wallet(CALLER).address);
  expect(rows).toHaveLength(3);
  expect(rows.every((r) => r.enqueuedAt !== null)).toBe(true);
  const connection = createRedis(config.redisUrl);
  const queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix: config.queuePrefix });
  try {
    const job = await queue.getJob(usageJobId(rows[0]!.usageId));
    expect(job?.data).toMatchObject({ caller: chain.wallet(CALLER).address, baseModelId: '1', datanetIds: ['1'], modelOwner: chain.wallet(OWNER).address });
    const total = job!.data.promptTokens + job!.data.completionTokens;
    expect(job!.data.promptTokenIds).toHaveLength(job!.data.promptTokens);
    const price = job!.data.adapterId === '2' ? 2n * PRICE : PRICE;
    expect(job!.data.feeWei).toBe(((price * BigInt(total) + 999n) / 1000n).toString());
    expect(job!.data.authorization.signature).toMatch(/^0x[0-9a-f]{130}$/);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});

test('retrieval requests are checked before anything runs or is charged', async () => {
  const before = (await usageRows(chain.wallet(CALLER).address)).length;
  const ask = (retrieval: unknown) =>
    fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[CALLER]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: models.alpha, messages: [{ role: 'user', content: 'what do you know?' }], max_tokens: 4, retrieval }),
    });
  const foreign = await ask({ datanet_id: '7' });
  expect(foreign.status).toBe(400);
  expect((await foreign.json()).detail).toMatch(/retrieval.datanet_id "7" is not a datanet .* was trained on \(1\)/);
  const tooMany = await ask({ datanet_id: '1', k: 50 });
  expect(tooMany.status).toBe(400);
  const unconfigured = await ask({ datanet_id: '1' }); // this gateway has no ATTRIBUTION_URL
  expect(unconfigured.status).toBe(503);
  expect((await unconfigured.json()).detail).toContain('ATTRIBUTION_URL');
  await app.ctx.usage.drain();
  expect(await usageRows(chain.wallet(CALLER).address)).toHaveLength(before);
});

test('streaming through the openai client yields the same text as the non-streaming answer', async () => {
  const client = new OpenAI({ apiKey: keys[CALLER], baseURL: `${baseUrl}/v1` });
  const params = { model: models.beta!, messages: [{ role: 'user' as const, content: 'stream it' }], max_tokens: 20, temperature: 0 };
  const whole = await client.chat.completions.create(params);
  const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let chunks = 0;
  let usage: { completion_tokens: number } | undefined;
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  expect(chunks).toBeGreaterThan(3);
  expect(text).toBe(whole.choices[0]!.message.content);
  expect(finish).toBe('length');
  expect(usage?.completion_tokens).toBe(20);
  const completion = await client.completions.create({ model: models.alpha!, prompt: 'once upon a time', max_tokens: 8, temperature: 0 });
  expect(completion.usage?.completion_tokens).toBe(8);
  expect(completion.choices[0]!.text.length).toBeGreaterThan(0);
});

test('JSON-schema response_format and stacked adapters', async () => {
  const schema = { type: 'object', properties: { label: { type: 'string', maxLength: 6 } }, required: ['label'] };
  const res = await chat(CALLER, models.alpha!, { max_tokens: 40, response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } });
  expect(res.statusCode).toBe(200);
  expect(typeof JSON.parse(res.json().choices[0].message.content).label).toBe('string');
  const before = (await usageRows(chain.wallet(CALLER).address)).length;
  const stacked = await chat(CALLER, models.alpha!, { lora: [{ model: models.beta!, scale: 0.5 }] });
  expect(stacked.statusCode).toBe(200);
  // one usage event per adapter in the stack, each at its own price
  expect((await usageRows(chain.wallet(CALLER).address)).length).toBe(before + 2);
  expect(stacked.json().choices[0].message.content).not.toBe((await chat(CALLER, models.alpha!)).json().choices[0].message.content);
});

test('out of credit: 402 without an authorization or with a deposit below the worst-case fee; nothing charged', async () => {
  const noAuth = await chat(NO_AUTH_CALLER, models.alpha!);
  expect(noAuth.statusCode).toBe(402);
  expect(noAuth.headers['content-type']).toMatch(/problem\+json/);
  expect(noAuth.json()).toMatchObject({ status: 402, reason: 'insufficient-credit' });
  expect(noAuth.json().detail).toMatch(/SpendingAuthorization/);
  const poor = await chat(POOR_CALLER, models.alpha!);
  expect(poor.statusCode).toBe(402);
  expect(poor.json().detail).toMatch(/deposit too low/);
  expect(await usageRows(chain.wallet(POOR_CALLER).address)).toHaveLength(0);
  const credit = await app.inject({ method: 'GET', url: '/v1/credit', headers: { authorization: `Bearer ${keys[CALLER]}` } });
  expect(credit.json()).toMatchObject({ balanceWei: (10n * 10n ** 18n).toString(), spentWei: '0', reservedWei: '0' });
  expect(BigInt(credit.json().unsettledWei)).toBeGreaterThan(0n);
  // what credit counts as metered (one row kept by a trigger) is exactly the sum of the caller's usage rows
  const metered = (await usageRows(chain.wallet(CALLER).address)).reduce((sum, r) => sum + BigInt(r.feeWei), 0n);
  expect(metered).toBeGreaterThan(0n);
  expect(BigInt(credit.json().recordedWei)).toBe(metered);
});

test('OpenAI clients read every error: the problem body carries an OpenAI `error` member with the same detail', async () => {
  const client = (who: number) => new OpenAI({ apiKey: keys[who], baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const ask = (who: number, body: Record<string, unknown>) =>
    client(who).chat.completions.create({ model: models.alpha!, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, ...body } as never);
  await expect(ask(NO_AUTH_CALLER, {})).rejects.toMatchObject({
    status: 402,
    type: 'insufficient_quota',
    code: 'insufficient-credit',
    message: expect.stringMatching(/^402 insufficient credit for this request: .*SpendingAuthorization/),
  });
  await expect(ask(CALLER, { max_tokens: 0 })).rejects.toMatchObject({
    status: 400,
    type: 'invalid_request_error',
    param: 'max_tokens',
    message: expect.stringContaining('body/max_tokens must be >= 1'),
  });
  // values that a null branch would have coerced to "use the default" are refused by name
  for (const [field, value] of [['top_p', 0], ['n', 0], ['max_completion_tokens', 0]] as const) {
    await expect(ask(CALLER, { [field]: value })).rejects.toMatchObject({ status: 400, param: field, message: expect.stringContaining(`body/${field}`) });
  }
  expect((await chat(CALLER, models.alpha!, { max_tokens: null, temperature: null, top_p: null, n: null })).statusCode).toBe(200);
  await expect(ask(CALLER, { model: 'adapter-999999' })).rejects.toMatchObject({ status: 404, type: 'not_found_error', message: expect.stringContaining('adapter-999999') });
  const stranger = new OpenAI({ apiKey: 'olk_not-a-key', baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  await expect(stranger.completions.create({ model: models.alpha!, prompt: 'hi', max_tokens: 4 })).rejects.toMatchObject({ status: 401, type: 'authentication_error' });
  // the problem+json members are all still there
  const raw = await chat(NO_AUTH_CALLER, models.alpha!);
  expect(raw.json()).toMatchObject({ type: 'about:blank', title: 'Payment Required', status: 402, reason: 'insufficient-credit', error: { code: 'insufficient-credit', message: raw.json().detail } });
});

test('per-key rate limit answers 429 with Retry-After', async () => {
  let limited;
  // 40 per fixed one-minute window: within 81 requests one window sees its 41st even across a boundary
  for (let i = 0; i < 81; i++) {
    const res = await chat(NO_AUTH_CALLER, models.alpha!);
    if (res.statusCode === 429) {
      limited = res;
      break;
    }
    expect(res.statusCode).toBe(402);
  }
  expect(limited?.json()).toMatchObject({ status: 429, reason: 'rate-limit' });
  expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  // another key is not affected
  expect((await chat(CALLER, models.alpha!)).statusCode).toBe(200);
});

test('back-pressure: beyond the bounded queue requests get 429 + Retry-After, the rest complete', async () => {
  const before = { ...app.ctx.dispatcher.dispatched };
  const results = await Promise.all(Array.from({ length: 8 }, () => chat(CALLER, models.alpha!, { max_tokens: 60 })));
  const statuses = results.map((r) => r.statusCode);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
  const busy = results.filter((r) => r.statusCode === 429);
  expect(busy.length).toBeGreaterThan(0);
  expect(busy[0]!.json().reason).toBe('queue-full');
  expect(Number(busy[0]!.headers['retry-after'])).toBeGreaterThan(0);
  // the two contexts of the in-process worker took two (fast path), the third waited in the queue
  const after = app.ctx.dispatcher.dispatched;
  expect(after.local - before.local).toBeGreaterThanOrEqual(2);
  expect(after.queue - before.queue).toBeGreaterThanOrEqual(1);
  expect(after.local - before.local + after.queue - before.queue).toBe(statuses.filter((s) => s !== 429).length);
});

test('a client that disconnects cancels its generation and is not charged', async () => {
  const callerAddress = chain.wallet(CALLER).address;
  const before = (await usageRows(callerAddress)).length;
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys[CALLER]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: models.alpha, messages: [{ role: 'user', content: 'long one' }], max_tokens: 450, temperature: 0, stream: true }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await new Promise((r) => setTimeout(r, 500));
  expect((await usageRows(callerAddress)).length).toBe(before);
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  expect(metrics).toMatch(/gateway_inference_failures_total\{reason="cancelled"\} 1/);
});

test('a hash mismatch is refused and a corrupt adapter crashes only its engine; failures are not charged', async () => {
  const callerAddress = chain.wallet(CALLER).address;
  const before = (await usageRows(callerAddress)).length;
  const forged = await chat(CALLER, models.forged!);
  expect(forged.statusCode).toBe(422);
  expect(forged.json()).toMatchObject({ reason: 'adapter_hash_mismatch' });
  const crashed = await chat(CALLER, models.broken!);
  expect(crashed.statusCode).toBe(502);
  expect(crashed.json()).toMatchObject({ status: 502, reason: 'engine_crashed' });
  // the gateway and the worker stayed up; the engine restarted and serves again
  const after = await chat(CALLER, models.alpha!);
  expect(after.statusCode).toBe(200);
  const again = await chat(CALLER, models.broken!);
  expect(again.json()).toMatchObject({ status: 422, reason: 'adapter_quarantined' });
  expect((await usageRows(callerAddress)).length).toBe(before + 1);
  expect((await engine.stats()).restarts).toBe(1);
});

test('/metrics, /healthz, /readyz and /docs answer', async () => {
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  for (const name of ['gateway_requests_total', 'gateway_tokens_total', 'gateway_completion_tokens_per_second', 'gateway_queue_depth', 'engine_adapter_loads', 'engine_adapter_evictions', 'engine_restarts', 'engine_adapter_cache_hit_ratio']) {
    expect(metrics).toContain(name);
  }
  expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.json()).toMatchObject({ ready: true });
  expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().paths['/v1/chat/completions']).toBeDefined();
});
