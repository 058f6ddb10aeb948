import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { QUEUES, usageJobId, type SpendingAuthorizationPayload, type UsageEventJob } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { spendingAuthorizations, usageEvents } from '../db/schema.js';

/** Fee in OPEN wei: price per 1k tokens × tokens / 1000, rounded up. */
export const feeFor = (pricePer1kTokensWei: bigint, tokens: number): bigint => (pricePer1kTokensWei * BigInt(tokens) + 999n) / 1000n;

/** What a finished request tells the recorder: the usage event's own fields plus the key and the price. */
export type CompletedInference = Pick<
  UsageEventJob,
  | 'caller'
  | 'adapterId'
  | 'adapterVersion'
  | 'baseModelId'
  | 'modelOwner'
  | 'datanetIds'
  | 'promptText'
  | 'outputText'
  | 'promptTokenIds'
  | 'outputTokenIds'
  | 'promptTokens'
  | 'completionTokens'
> & {
  apiKeyId: string;
  pricePer1kTokensWei: bigint;
};

/**
 * One usage event per completed request: stored in the gateway's database first (the record of what is
 * owed), then enqueued for attribution with a deterministic job id. Rows not yet enqueued (a crash between
 * the two) are re-enqueued by {@link UsageRecorder.flushPending} at start-up; BullMQ drops the duplicate id.
 */
export class UsageRecorder {
  private readonly queue: Queue<UsageEventJob>;
  private readonly pendingEnqueues = new PendingSet();
  private flusher?: NodeJS.Timeout;

  constructor(private readonly db: Db, connection: Redis, prefix: string, private readonly onError?: (e: Error) => void) {
    this.queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix });
  }

  /** Re-enqueues stored rows that never reached the queue, now and every `intervalMs`. */
  startFlusher(intervalMs = 30_000): void {
    this.flusher = setInterval(() => void this.flushPending().catch((e: Error) => this.onError?.(e)), intervalMs);
    this.flusher.unref();
  }

  /** Resolves when every enqueue started so far has finished. */
  async drain(): Promise<void> {
    await this.pendingEnqueues.all();
  }

  /** Latest stored authorization per payer, cached briefly (the credit route calls forget() on a new one). */
  private readonly authCache = new Map<string, { row: typeof spendingAuthorizations.$inferSelect | undefined; until: number }>();

  forget(payer: string): void {
    this.authCache.delete(payer);
  }

  private async authorizationOf(payer: string) {
    const hit = this.authCache.get(payer);
    if (hit && hit.until > Date.now()) return hit.row;
    const [row] = await this.db.select().from(spendingAuthorizations).where(eq(spendingAuthorizations.payer, payer)).limit(1);
    this.authCache.set(payer, { row, until: Date.now() + 5_000 });
    return row;
  }

  async record(c: CompletedInference): Promise<UsageEventJob> {
    const auth = await this.authorizationOf(c.caller);
    const authorization: SpendingAuthorizationPayload = auth
      ? { payer: auth.payer as `0x${string}`, operator: auth.operator as `0x${string}`, cap: auth.capWei, expiry: auth.expiry, signature: auth.signature as `0x${string}` }
      : { payer: c.caller, operator: '0x0000000000000000000000000000000000000000', cap: '0', expiry: 0, signature: `0x${'0'.repeat(130)}` };
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
      attributable: auth !== undefined,
    });
    if (!auth) return job; // free request without an authorization: recorded, nothing to attribute or collect
    // the stored row is the durable record; queueing it is retried by flushPending if this fails or the process dies
    this.pendingEnqueues.add(
      this.enqueue(job)
        .catch((e: Error) => this.onError?.(e))
        .finally(() => this.pendingEnqueues.delete(job.usageId)),
      job.usageId,
    );
    return job;
  }

  private async enqueue(job: UsageEventJob): Promise<void> {
    await this.queue.add('usage', job, { jobId: usageJobId(job.usageId), removeOnComplete: 10_000, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } });
    await this.db.update(usageEvents).set({ enqueuedAt: new Date() }).where(and(eq(usageEvents.usageId, job.usageId), isNull(usageEvents.enqueuedAt)));
  }

  /** Enqueues usage rows stored but not yet on the queue (after a crash). */
  async flushPending(): Promise<number> {
    const rows = await this.db.select({ payload: usageEvents.payload }).from(usageEvents).where(and(isNull(usageEvents.enqueuedAt), eq(usageEvents.attributable, true))).limit(10_000);
    let n = 0;
    for (const r of rows) {
      const job = r.payload as UsageEventJob;
      if (this.pendingEnqueues.has(job.usageId)) continue;
      await this.enqueue(job);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    clearInterval(this.flusher);
    await this.drain();
    await this.queue.close();
  }
}

class PendingSet {
  private readonly items = new Map<string, Promise<unknown>>();
  add(p: Promise<unknown>, id: string): void {
    this.items.set(id, p);
  }
  delete(id: string): void {
    this.items.delete(id);
  }
  has(id: string): boolean {
    return this.items.has(id);
  }
  async all(): Promise<void> {
    await Promise.all([...this.items.values()]);
  }
}
