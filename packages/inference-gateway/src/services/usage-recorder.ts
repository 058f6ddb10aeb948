import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { QUEUES, usageJobId, type SpendingAuthorizationPayload, type UsageEventJob } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { usageEvents } from '../db/schema.js';
import { AuthorizationCache, type StoredAuthorization } from './authorizations.js';

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
  | 'retrievedContributionIds'
> & {
  apiKeyId: string;
  pricePer1kTokensWei: bigint;
};

/**
 * One usage event per completed request: stored in the gateway's database first (the record of what is
 * owed; the reply waits for this INSERT and nothing else), then relayed to the attribution queue with a
 * deterministic job id by an outbox relay off the request path: rows recorded within `relayDelayMs` go out
 * in one `addBulk` round trip and are marked enqueued with one UPDATE. Rows not yet marked (the relay
 * failed, or the process died in between) are re-enqueued by {@link UsageRecorder.flushPending}, at
 * start-up and every 30 s; BullMQ drops a duplicate job id.
 */
export interface UsageRecorderOptions {
  /** Told when queueing a stored row failed (the relay retries it). */
  onError?: (e: Error) => void;
  /** How long rows gather before one relay enqueues them together (default 20 ms). */
  relayDelayMs?: number;
  /** Shared with the credit service, so both see a stored authorization at once. */
  authorizations?: AuthorizationCache;
}

export class UsageRecorder {
  private readonly queue: Queue<UsageEventJob>;
  private readonly pendingEnqueues = new PendingSet();
  private flusher?: NodeJS.Timeout;
  /** Stored, attributable rows waiting for the relay (their ids are also in `relayIds`). */
  private outbox: UsageEventJob[] = [];
  private readonly relayIds = new Set<string>();
  private relayTimer?: NodeJS.Timeout;
  private relaying: Promise<void> | null = null;
  private readonly insertRow: ReturnType<typeof UsageRecorder.prepareInsert>;

  private readonly onError?: (e: Error) => void;
  private readonly relayDelayMs: number;
  private readonly authorizations: AuthorizationCache;

  constructor(
    private readonly db: Db,
    connection: Redis,
    prefix: string,
    options: UsageRecorderOptions = {},
  ) {
    this.onError = options.onError;
    this.relayDelayMs = options.relayDelayMs ?? 20;
    this.authorizations = options.authorizations ?? new AuthorizationCache(db);
    this.queue = new Queue<UsageEventJob>(QUEUES.usageEvents, { connection, prefix });
    // A connection 'error' with no listener would end the process; the relay re-queues later.
    this.queue.on('error', (e) => this.onError?.(e));
    this.insertRow = UsageRecorder.prepareInsert(db);
  }

  /** The one statement on the reply's path, built once and prepared (named) on the server. */
  private static prepareInsert(db: Db) {
    const p = (name: string) => sql.placeholder(name);
    return db
      .insert(usageEvents)
      .values({
        usageId: p('usageId'),
        apiKeyId: p('apiKeyId'),
        caller: p('caller'),
        adapterId: p('adapterId'),
        baseModelId: p('baseModelId'),
        promptTokens: p('promptTokens'),
        completionTokens: p('completionTokens'),
        feeWei: p('feeWei'),
        payload: p('payload'),
        completedAt: p('completedAt'),
        attributable: p('attributable'),
      })
      .prepare('gateway_usage_insert');
  }

  /** Re-enqueues stored rows that never reached the queue, now and every `intervalMs`. */
  startFlusher(intervalMs = 30_000): void {
    this.flusher = setInterval(() => void this.flushPending().catch((e: Error) => this.onError?.(e)), intervalMs);
    this.flusher.unref();
  }

  /** Relays everything recorded so far now, and resolves when every enqueue started so far has finished. */
  async drain(): Promise<void> {
    clearTimeout(this.relayTimer);
    this.relayTimer = undefined;
    while (this.outbox.length || this.relaying) {
      if (this.relaying) await this.relaying;
      else await this.relay();
    }
    await this.pendingEnqueues.all();
  }

  private scheduleRelay(): void {
    if (this.relayTimer || this.relaying) return;
    this.relayTimer = setTimeout(() => {
      this.relayTimer = undefined;
      void this.relay();
    }, this.relayDelayMs);
  }

  /** One batch from the outbox to the queue: one addBulk, one UPDATE. A failure leaves the rows to flushPending. */
  private relay(): Promise<void> {
    const batch = this.outbox.splice(0, 1_000);
    if (batch.length === 0) return Promise.resolve();
    this.relaying = this.enqueue(batch)
      .catch((e: Error) => this.onError?.(e))
      .finally(() => {
        for (const job of batch) this.relayIds.delete(job.usageId);
        this.relaying = null;
        if (this.outbox.length) this.scheduleRelay();
      });
    return this.relaying;
  }

  async record(c: CompletedInference): Promise<UsageEventJob> {
    return (await this.recordAll([c]))[0]!;
  }

  /**
   * Stores the usage rows of one request (one per adapter of a stack) in one statement, so they commit
   * together: a failure leaves none of them, and the request is then not charged for any adapter.
   */
  async recordAll(completed: CompletedInference[]): Promise<UsageEventJob[]> {
    if (completed.length === 0) return [];
    const auths = await Promise.all(completed.map((c) => this.authorizations.get(c.caller)));
    const completedAt = new Date();
    const jobs = completed.map((c, i) => this.job(c, auths[i], completedAt));
    const rows = completed.map((c, i) => ({
      usageId: jobs[i]!.usageId,
      apiKeyId: c.apiKeyId,
      caller: c.caller,
      adapterId: c.adapterId,
      baseModelId: c.baseModelId,
      promptTokens: c.promptTokens,
      completionTokens: c.completionTokens,
      feeWei: jobs[i]!.feeWei,
      payload: jobs[i]!,
      completedAt,
      attributable: auths[i] !== undefined,
    }));
    if (rows.length === 1) await this.insertRow.execute(rows[0]!);
    else await this.db.insert(usageEvents).values(rows);
    // the stored rows are the durable record; the relay queues them (flushPending retries if that fails or
    // the process dies). Free requests without an authorization are recorded with nothing to attribute.
    const attributable = jobs.filter((_, i) => auths[i] !== undefined);
    if (attributable.length) {
      for (const job of attributable) {
        this.outbox.push(job);
        this.relayIds.add(job.usageId);
      }
      this.scheduleRelay();
    }
    return jobs;
  }

  private job(c: CompletedInference, auth: StoredAuthorization | undefined, completedAt: Date): UsageEventJob {
    const authorization: SpendingAuthorizationPayload = auth
      ? { payer: auth.payer as `0x${string}`, operator: auth.operator as `0x${string}`, cap: auth.capWei, expiry: auth.expiry, signature: auth.signature as `0x${string}` }
      : { payer: c.caller, operator: '0x0000000000000000000000000000000000000000', cap: '0', expiry: 0, signature: `0x${'0'.repeat(130)}` };
    return {
      usageId: randomUUID(),
      completedAt: completedAt.toISOString(),
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
      ...(c.retrievedContributionIds?.length ? { retrievedContributionIds: c.retrievedContributionIds } : {}),
    };
  }

  private async enqueue(jobs: UsageEventJob[]): Promise<void> {
    const opts = { removeOnComplete: 10_000, attempts: 10, backoff: { type: 'exponential' as const, delay: 1_000 } };
    await this.queue.addBulk(jobs.map((job) => ({ name: 'usage', data: job, opts: { ...opts, jobId: usageJobId(job.usageId) } })));
    const ids = jobs.map((j) => j.usageId);
    await this.db.update(usageEvents).set({ enqueuedAt: new Date() }).where(and(inArray(usageEvents.usageId, ids), isNull(usageEvents.enqueuedAt)));
  }

  /** Enqueues usage rows stored but not yet on the queue (after a crash). */
  async flushPending(): Promise<number> {
    const rows = await this.db.select({ payload: usageEvents.payload }).from(usageEvents).where(and(isNull(usageEvents.enqueuedAt), eq(usageEvents.attributable, true))).limit(10_000);
    const jobs = rows.map((r) => r.payload as UsageEventJob).filter((job) => !this.relayIds.has(job.usageId) && !this.pendingEnqueues.has(job.usageId));
    for (let i = 0; i < jobs.length; i += 1_000) {
      const batch = jobs.slice(i, i + 1_000);
      const done = this.enqueue(batch);
      for (const job of batch) this.pendingEnqueues.add(done, job.usageId);
      try {
        await done;
      } finally {
        for (const job of batch) this.pendingEnqueues.delete(job.usageId);
      }
    }
    return jobs.length;
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
