import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { createRedis, QUEUES, usageJobId, type DatabaseHandle, type UsageEventJob } from '@openledger/service-kit';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
import { openGatewayDatabase } from '../src/db/database.js';
import { payerFees, spendingAuthorizations, usageEvents, type GatewaySchema } from '../src/db/schema.js';
import { RateLimiter } from '../src/services/rate-limiter.js';
import { UsageRecorder, type CompletedInference } from '../src/services/usage-recorder.js';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';

// The usage outbox relay and the leased rate limit, against real Redis and PGlite or Postgres (DATABASE_URL).
let testDb: TestDatabase;
let dataDir: string;
let database: DatabaseHandle<GatewaySchema>;
let redis: Redis;
const prefix = `relay-${randomBytes(4).toString('hex')}`;
const payer = '0x00000000000000000000000000000000000000a1' as const;

beforeAll(async () => {
  testDb = await createTestDatabase('usage_relay');
  dataDir = await mkdtemp(path.join(tmpdir(), 'usage-relay-'));
  database = await openGatewayDatabase(testDb.url, dataDir);
  redis = createRedis(testRedisUrl());
  await database.db.insert(spendingAuthorizations).values({ payer, operator: payer, capWei: '1000000', expiry: 4_000_000_000, signature: `0x${'2'.repeat(130)}` });
}, 60_000);

afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
  await database?.close();
  await testDb?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const completed = (): CompletedInference => ({
  apiKeyId: 'k',
  caller: payer,
  adapterId: '7',
  adapterVersion: 1,
  baseModelId: '1',
  modelOwner: payer,
  datanetIds: ['1'],
  promptText: 'p',
  outputText: 'o',
  promptTokenIds: [1, 2],
  outputTokenIds: [3],
  promptTokens: 2,
  completionTokens: 1,
  pricePer1kTokensWei: 1000n,
});

test('a usage row stored but not relayed (crash before the enqueue) is queued by the restarted gateway exactly once', async () => {
  const connection = createRedis(testRedisUrl());
  const queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix });
  // a relay delay longer than the test: the first recorder stores the row and "dies" before relaying it
  const crashedConnection = createRedis(testRedisUrl());
  const crashed = new UsageRecorder(database.db, crashedConnection, prefix, { relayDelayMs: 60_000 });
  try {
    const event = await crashed.record(completed());
    const [row] = await database.db.select().from(usageEvents).where(eq(usageEvents.usageId, event.usageId));
    expect(row).toMatchObject({ attributable: true, enqueuedAt: null, feeWei: '3' });
    expect(await queue.getJob(usageJobId(event.usageId))).toBeUndefined();

    // the restarted process finds the row at start-up and queues it
    const restarted = new UsageRecorder(database.db, connection, prefix);
    expect(await restarted.flushPending()).toBe(1);
    expect((await queue.getJob(usageJobId(event.usageId)))?.data).toMatchObject({ usageId: event.usageId, feeWei: '3', caller: payer });
    const [marked] = await database.db.select().from(usageEvents).where(eq(usageEvents.usageId, event.usageId));
    expect(marked!.enqueuedAt).not.toBeNull();
    expect(await restarted.flushPending()).toBe(0); // nothing left
    await restarted.close();

    // had the first process relayed after all, the deterministic job id keeps it one job
    await crashed.drain();
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active', 'completed')).toBe(1);
  } finally {
    await crashed.close();
    crashedConnection.disconnect();
    await queue.close();
    connection.disconnect();
  }
});

test('the relay batches rows recorded together into one enqueue and marks them all', async () => {
  const connection = createRedis(testRedisUrl());
  const recorder = new UsageRecorder(database.db, connection, `${prefix}-b`);
  const queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix: `${prefix}-b` });
  try {
    const events = await Promise.all(Array.from({ length: 5 }, () => recorder.record(completed())));
    await recorder.drain();
    for (const e of events) expect(await queue.getJob(usageJobId(e.usageId))).toBeDefined();
    const rows = await database.db.select().from(usageEvents);
    expect(rows.filter((r) => events.some((e) => e.usageId === r.usageId) && r.enqueuedAt !== null)).toHaveLength(5);
  } finally {
    await recorder.close();
    await queue.close();
    connection.disconnect();
  }
});

test('the rows of a stacked request commit together: one bad row leaves none, and nothing is metered', async () => {
  const connection = createRedis(testRedisUrl());
  const recorder = new UsageRecorder(database.db, connection, `${prefix}-s`);
  const metered = async () => BigInt((await database.db.select().from(payerFees).where(eq(payerFees.payer, payer)))[0]?.recordedWei ?? 0);
  const rowsOf = async (adapterIds: string[]) => (await database.db.select().from(usageEvents)).filter((r) => adapterIds.includes(r.adapterId));
  try {
    const before = await metered();
    // the second row cannot be stored (prompt_tokens is a 32-bit integer column)
    await expect(recorder.recordAll([{ ...completed(), adapterId: '101' }, { ...completed(), adapterId: '102', promptTokens: 2 ** 40 }])).rejects.toThrow();
    expect(await rowsOf(['101', '102'])).toEqual([]);
    expect(await metered()).toBe(before);

    const events = await recorder.recordAll([{ ...completed(), adapterId: '103' }, { ...completed(), adapterId: '104', pricePer1kTokensWei: 2000n }]);
    expect(events.map((e) => e.feeWei)).toEqual(['3', '6']);
    expect((await rowsOf(['103', '104'])).map((r) => r.feeWei).sort()).toEqual(['3', '6']);
    expect(await metered()).toBe(before + 9n);
    await recorder.drain();
  } finally {
    await recorder.close();
    connection.disconnect();
  }
});

test('leased rate limits: two replicas sharing a key never admit more than the limit per window', async () => {
  const limit = 10;
  const a = new RateLimiter(redis, `${prefix}-rl`, limit, 3);
  const b = new RateLimiter(redis, `${prefix}-rl`, limit, 3);
  let admitted = 0;
  let refused = 0;
  const msLeft = 60_000 - (Date.now() % 60_000);
  if (msLeft < 3_000) await new Promise((r) => setTimeout(r, msLeft + 50)); // stay inside one fixed window
  for (let i = 0; i < 30; i++) {
    try {
      await (i % 2 ? a : b).check('key-1');
      admitted++;
    } catch (e) {
      expect(e).toMatchObject({ status: 429 });
      refused++;
    }
  }
  expect(admitted).toBe(limit);
  expect(refused).toBe(30 - limit);
  // another key has its own window
  await expect(a.check('key-2')).resolves.toBeUndefined();
});
