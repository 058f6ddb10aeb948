/**
 * Credit check figures for a paid request: CreditService.reserve() (Redis reservation + authorization +
 * metered fees + FeeEscrow reads) and its release, against a real anvil with the deployed stack, for a payer
 * with no history and with 100,000 metered usage rows; next to the sum over the payer's rows that the
 * metered figure used to be.
 * Needs Redis (REDIS_URL); the database is a fresh one on DATABASE_URL's server, or a temp PGlite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createRedis } from '@openledger/service-kit';
import { createTestDatabase, testRedisUrl } from '@openledger/service-kit/testing';
import { connectDeployment } from '@openledger/sdk';
import { openGatewayDatabase } from '../src/db/database.js';
import { spendingAuthorizations, usageEvents } from '../src/db/schema.js';
import { AuthorizationCache } from '../src/services/authorizations.js';
import { CreditService } from '../src/services/credit.js';
import { deleteKeysWithPrefix } from '../src/testing/redis-cleanup.js';
import { fundEscrow, startTestChain } from '../test/helpers/chain.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const line = (name: string, value: string) => console.log(`${name.padEnd(70)} ${value}`);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 100_000);
const N = Number(process.env.BENCH_N ?? 2_000);

const chain = await startTestChain();
const testDb = await createTestDatabase('credit_bench');
const dataDir = await mkdtemp(path.join(tmpdir(), 'credit-bench-'));
const handle = await openGatewayDatabase(testDb.url, dataDir);
const redis = createRedis(process.env.REDIS_URL ?? testRedisUrl());
const prefix = `creditbench-${process.pid}`;
console.log(`database: ${testDb.kind}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
try {
  const operator = chain.wallet(5).address;
  const escrow = connectDeployment(chain.deployment, chain.provider).FeeEscrow;
  const credit = new CreditService(handle.db, redis, new AuthorizationCache(handle.db), escrow, operator, prefix);
  const payers = { fresh: chain.wallet(3).address, busy: chain.wallet(4).address };
  for (const [i, payer] of [[3, payers.fresh], [4, payers.busy]] as const) {
    await fundEscrow(chain, i, '1000');
    await handle.db.insert(spendingAuthorizations).values({ payer, operator, capWei: (10n ** 24n).toString(), expiry: Math.floor(Date.now() / 1000) + 86_400, signature: `0x${'1'.repeat(130)}` });
  }
  // the busy payer's history: HISTORY metered requests (the trigger keeps payer_fees in step)
  const started = performance.now();
  for (let i = 0; i < HISTORY; i += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, HISTORY - i) }, () => ({
      usageId: randomUUID(), apiKeyId: 'bench', caller: payers.busy, adapterId: '1', baseModelId: '1', promptTokens: 8, completionTokens: 8,
      feeWei: '32000000000000', payload: {}, completedAt: new Date(), enqueuedAt: new Date(),
    }));
    await handle.db.insert(usageEvents).values(rows);
  }
  line(`usage history written (${HISTORY} rows)`, `${((performance.now() - started) / 1000).toFixed(1)} s`);

  for (const [name, payer] of Object.entries(payers)) {
    const xs: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const release = await credit.reserve(payer, 10n ** 15n);
      xs.push(performance.now() - t);
      await release();
    }
    const s = await credit.state(payer);
    line(`reserve (credit check) on a paid request, ${name} payer (${name === 'busy' ? HISTORY : 0} rows), p50 / p99`, `${quantile(xs, 0.5).toFixed(3)} / ${quantile(xs, 0.99).toFixed(3)} ms (metered ${s.recordedWei} wei)`);
  }
  const sums: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await handle.db.execute(sql`select coalesce(sum(${usageEvents.feeWei}), 0)::text from ${usageEvents} where ${usageEvents.caller} = ${payers.busy}`);
    sums.push(performance.now() - t);
  }
  line(`the former metered read: sum over the busy payer's ${HISTORY} rows, p50`, `${quantile(sums, 0.5).toFixed(2)} ms`);
} finally {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
  await handle.close();
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
  await chain.stop();
}
