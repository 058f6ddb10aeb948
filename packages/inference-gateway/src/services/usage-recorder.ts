import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { QUEUES, usageJobId, type SpendingAuthorizationPayload, type UsageEventJob } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { spendingAuthorizations, usageEvents } from '../db/schema.js';

/** Fee in OPEN wei: price per 1k tokens × tokens / 1000, rounded up. */
export const feeFor = (pricePer1kTokensWei: bigint, tokens: number): bigint => (pricePer1kTokensWei * BigInt(tokens) + 999n) / 1000n;

export interface CompletedInference {
  apiKeyId: string;
  caller: `0x${string}`;
  adapterId: string;
  adapterVersion: number;
  baseModelId: string;
  modelOwner: `0x${string}`;
  datanetIds: string[];
  promptText: string;
  outputText: string;
  promptTokenIds: number[];
  outputTokenIds: number[];
  promptTokens: number;
  completionTokens: number;
  pricePer1kTokensWei: bigint;
}

/**
 * One usage event per completed request: stored in the gateway's database first (the record of what is
 * owed), then enqueued for attribution with a deterministic job id. Rows not yet enqueued (a crash between
 * the two) are re-enqueued by {@link UsageRecorder.flushPending} at start-up; BullMQ drops the duplicate id.
 */
export class UsageRecorder {
  private readonly queue: Queue<UsageEventJob>;

  constructor(private readonly db: Db, connection: Redis, prefix: string) {
    this.queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix });
  }

  async record(c: CompletedInference): Promise<UsageEventJob> {
    const [auth] = await this.db.select().from(spendingAuthorizations).where(eq(spendingAuthorizations.payer, c.caller)).limit(1);
    const authorization: SpendingAuthorizationPayload = auth
      ? { payer: auth.payer as `0x${string}`, operator: auth.operator as `0x${string}`, cap: auth.capWei, expiry: auth.expiry, signature: auth.signature as `0x${string}` }
      : { payer: c.caller, operator: '0x0000000000000000000000000000000000000000', cap: '0', expiry: 0, signature: '0x' };
    const usageId = randomUUID();
    const job: UsageEventJob = {
      usageId,
      completedAt: new Date().toISOString(),
      caller: c.caller,
      adapterId: c.adapterId,
      adapterVersion: c.adapterVersion,
      baseModelId: c.baseModelId,
      modelOwner: c.modelOwner,
      datanetIds: c.datanetIds,
      promptText: c.promptText,
      outputText: c.outputText,
      promptTokenIds: c.promptTokenIds,
      outputTokenIds: c.outputTokenIds,
      promptTokens: c.promptTokens,
      completionTokens: c.completionTokens,
      feeWei: feeFor(c.pricePer1kTokensWei, c.promptTokens + c.completionTokens).toString(),
      authorization,
    };
    await this.db.insert(usageEvents).values({
      usageId,
      apiKeyId: c.apiKeyId,
      caller: c.caller,
      adapterId: c.adapterId,
      baseModelId: c.baseModelId,
      promptTokens: c.promptTokens,
      completionTokens: c.completionTokens,
      feeWei: job.feeWei,
      payload: job,
      completedAt: new Date(job.completedAt),
    });
    await this.enqueue(job);
    return job;
  }

  private async enqueue(job: UsageEventJob): Promise<void> {
    await this.queue.add('usage', job, { jobId: usageJobId(job.usageId), removeOnComplete: 10_000, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } });
    await this.db.update(usageEvents).set({ enqueuedAt: new Date() }).where(and(eq(usageEvents.usageId, job.usageId), isNull(usageEvents.enqueuedAt)));
  }

  /** Enqueues usage rows stored but not yet on the queue (after a crash). */
  async flushPending(): Promise<number> {
    const rows = await this.db.select({ payload: usageEvents.payload }).from(usageEvents).where(isNull(usageEvents.enqueuedAt)).limit(10_000);
    for (const r of rows) await this.enqueue(r.payload as UsageEventJob);
    return rows.length;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
