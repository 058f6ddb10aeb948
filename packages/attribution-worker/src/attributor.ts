import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import type { ContributionAcceptedJob, ContributionRevokedJob, Database, UsageEventJob } from '@openledger/service-kit';
import { contributions, usageEvents, usageScores } from './db/schema.js';
import { attributeSpans, type Attribution, type SpanParams } from './span/attribute.js';
import type { BuildPool } from './span/build-pool.js';
import { DatanetIndex } from './span/datanet-index.js';
import type { Segment } from './span/segment.js';
import { tokenize } from './span/tokenizer.js';
import { DEFAULT_RETRIEVAL_SHARE_BPS, MAX_RETRIEVED, withRetrieval } from './retrieval.js';

export class InvalidJobError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidJobError';
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT = /^\d{1,78}$/;
const ID = /^[0-9A-Za-z_-]{1,128}$/;
/** Largest text attributed per field (bytes of UTF-16), bounded so one event cannot stall a worker. */
const MAX_TEXT = 1 << 20;

/** The records of one contribution as text: `text` when a record has it, else its string values in key order. */
export function recordText(record: unknown): string {
  if (typeof record === 'string') return record;
  if (record && typeof record === 'object') {
    const r = record as Record<string, unknown>;
    if (typeof r.text === 'string') return r.text;
    return Object.keys(r)
      .sort()
      .map((k) => recordText(r[k]))
      .filter((s) => s.length > 0)
      .join('\n');
  }
  return typeof record === 'number' || typeof record === 'boolean' ? String(record) : '';
}

export interface AttributorOptions {
  db: Database;
  indexDir: string;
  pool: BuildPool;
  params: SpanParams;
  mergeFactor?: number;
  /** Share of each inference's contributors' part paid to its cited retrievals, in basis points (default 2000). */
  retrievalShareBps?: number;
}

/** A scored inference: the span/weight attribution and the rows stored for settlement (retrievals folded in). */
export interface ScoredUsage extends Attribution {
  /** Distinct cited contributions that were paid (accepted, of the adapter's datanets), sorted. */
  cited: string[];
}

/** Holds the span index of every datanet and turns contribution and usage events into rows. */
export class Attributor {
  private readonly indexes = new Map<string, DatanetIndex>();
  constructor(private readonly options: AttributorOptions) {}

  index(datanetId: string): DatanetIndex {
    if (!ID.test(datanetId)) throw new InvalidJobError('datanetId', `"${datanetId}" is not a datanet id`);
    let index = this.indexes.get(datanetId);
    if (!index) {
      index = DatanetIndex.open(join(this.options.indexDir, datanetId), datanetId, this.options.pool, { mergeFactor: this.options.mergeFactor });
      this.indexes.set(datanetId, index);
    }
    return index;
  }

  /** Indexes an accepted contribution's records (idempotent), then merges segments in the background. */
  async indexContribution(job: ContributionAcceptedJob, records: unknown[]): Promise<void> {
    if (!ID.test(job.contributionId)) throw new InvalidJobError('contributionId', 'is not an id');
    if (!ADDRESS.test(job.contributor)) throw new InvalidJobError('contributor', 'is not an address');
    if (!UINT.test(job.weight)) throw new InvalidJobError('weight', 'must be a decimal integer');
    const { db } = this.options;
    const [existing] = await db.select().from(contributions).where(eq(contributions.contributionId, job.contributionId));
    if (existing?.status === 'revoked') return; // revoked before it was indexed: never index it
    const index = this.index(job.datanetId);
    const tokenized = records.map((r) => tokenize(recordText(r)));
    await index.addContribution({ contributionId: job.contributionId, contributor: job.contributor.toLowerCase(), weight: job.weight, records: tokenized });
    await db
      .insert(contributions)
      .values({
        contributionId: job.contributionId,
        datanetId: job.datanetId,
        contributor: job.contributor.toLowerCase(),
        weight: job.weight,
        recordCount: records.length,
        tokenCount: tokenized.reduce((s, r) => s + r.length, 0),
        status: 'active',
      })
      .onConflictDoNothing();
    void index.merge().catch(() => undefined);
  }

  /** Drops a contribution from its datanet's index before resolving; it earns nothing from then on. */
  async revokeContribution(job: ContributionRevokedJob): Promise<void> {
    if (!ID.test(job.contributionId)) throw new InvalidJobError('contributionId', 'is not an id');
    await this.index(job.datanetId).revoke(job.contributionId);
    await this.options.db
      .insert(contributions)
      .values({
        contributionId: job.contributionId,
        datanetId: job.datanetId,
        contributor: job.contributor.toLowerCase(),
        weight: '0',
        recordCount: 0,
        tokenCount: 0,
        status: 'revoked',
        reason: job.reason.slice(0, 500),
        revokedAt: new Date(),
      })
      .onConflictDoUpdate({ target: contributions.contributionId, set: { status: 'revoked', reason: job.reason.slice(0, 500), revokedAt: new Date() } });
  }

  corpus(datanetIds: readonly string[]): Segment[] {
    return [...new Set(datanetIds)].sort().flatMap((id) => this.index(id).segments);
  }

  attribute(job: Pick<UsageEventJob, 'datanetIds' | 'outputText' | 'promptText'>): Attribution {
    return attributeSpans(this.corpus(job.datanetIds), tokenize(job.outputText), tokenize(job.promptText), this.options.params);
  }

  /** Scores one usage event and stores it with its scores in one transaction (idempotent on usageId). */
  async scoreUsage(job: UsageEventJob): Promise<ScoredUsage | null> {
    validateUsage(job);
    const { db } = this.options;
    const [seen] = await db.select({ usageId: usageEvents.usageId }).from(usageEvents).where(eq(usageEvents.usageId, job.usageId));
    if (seen) return null;
    const attribution = this.attribute(job);
    const cited = await this.citedContributions(job);
    const scores = withRetrieval(attribution.scores, cited, this.options.retrievalShareBps ?? DEFAULT_RETRIEVAL_SHARE_BPS);
    await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(usageEvents)
        .values({
          usageId: job.usageId,
          completedAt: new Date(job.completedAt),
          payer: job.authorization.payer.toLowerCase(),
          operator: job.authorization.operator.toLowerCase(),
          modelOwner: job.modelOwner.toLowerCase(),
          adapterId: job.adapterId,
          feeWei: job.feeWei,
          authCap: job.authorization.cap,
          authExpiry: job.authorization.expiry,
          authSignature: job.authorization.signature,
          method: attribution.method,
          spanCount: attribution.spans.length,
        })
        .onConflictDoNothing()
        .returning({ usageId: usageEvents.usageId });
      if (inserted.length === 0 || scores.length === 0) return;
      await tx.insert(usageScores).values(
        scores.map((s) => ({ usageId: job.usageId, contributionId: s.contributionId, contributor: s.contributor, score: s.score.toString() })),
      );
    });
    return { ...attribution, cited: cited.map((c) => c.contributionId).sort(), scores };
  }

  /** The event's cited contributions that are paid: still accepted and in one of the adapter's datanets. */
  private async citedContributions(job: UsageEventJob): Promise<Array<{ contributionId: string; contributor: string }>> {
    const ids = [...new Set(job.retrievedContributionIds ?? [])];
    if (ids.length === 0 || job.datanetIds.length === 0) return [];
    return this.options.db
      .select({ contributionId: contributions.contributionId, contributor: contributions.contributor })
      .from(contributions)
      .where(and(inArray(contributions.contributionId, ids), inArray(contributions.datanetId, [...new Set(job.datanetIds)]), eq(contributions.status, 'active')));
  }
}

export function validateUsage(job: UsageEventJob): void {
  if (typeof job !== 'object' || job === null) throw new InvalidJobError('job', 'must be an object');
  if (typeof job.usageId !== 'string' || !ID.test(job.usageId)) throw new InvalidJobError('usageId', 'must be an id of 1-128 [0-9A-Za-z_-]');
  if (Number.isNaN(Date.parse(job.completedAt))) throw new InvalidJobError('completedAt', 'must be an ISO-8601 time');
  if (!ADDRESS.test(job.modelOwner)) throw new InvalidJobError('modelOwner', 'must be an address');
  if (!Array.isArray(job.datanetIds) || job.datanetIds.some((d) => typeof d !== 'string' || !ID.test(d))) throw new InvalidJobError('datanetIds', 'must be an array of ids');
  if (typeof job.outputText !== 'string' || job.outputText.length > MAX_TEXT) throw new InvalidJobError('outputText', `must be a string of at most ${MAX_TEXT} characters`);
  if (typeof job.promptText !== 'string' || job.promptText.length > MAX_TEXT) throw new InvalidJobError('promptText', `must be a string of at most ${MAX_TEXT} characters`);
  if (typeof job.feeWei !== 'string' || !UINT.test(job.feeWei)) throw new InvalidJobError('feeWei', 'must be a decimal wei string');
  const r = job.retrievedContributionIds;
  if (r !== undefined && (!Array.isArray(r) || r.length > MAX_RETRIEVED || r.some((id) => typeof id !== 'string' || !UINT.test(id)))) {
    throw new InvalidJobError('retrievedContributionIds', `must be an array of at most ${MAX_RETRIEVED} decimal contribution ids`);
  }
  const a = job.authorization;
  if (!a || !ADDRESS.test(a.payer)) throw new InvalidJobError('authorization.payer', 'must be an address');
  if (!ADDRESS.test(a.operator)) throw new InvalidJobError('authorization.operator', 'must be an address');
  if (typeof a.cap !== 'string' || !UINT.test(a.cap)) throw new InvalidJobError('authorization.cap', 'must be a decimal wei string');
  if (!Number.isSafeInteger(a.expiry) || a.expiry < 0) throw new InvalidJobError('authorization.expiry', 'must be unix seconds');
  if (typeof a.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(a.signature)) throw new InvalidJobError('authorization.signature', 'must be a 65-byte hex signature');
}
