import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { CursorStore, DecodedLog, IndexerCursor, IndexerEvent } from '@openledger/sdk';
import { QUEUES, contributionJobId, type ContributionAcceptedJob, type ContributionRevokedJob } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { batches, chainEvents, contributions, curators, datanets, indexerCursors, outbox, stakes } from '../db/schema.js';
import type { MetadataResolver } from './metadata.js';
import { RELAY_QUEUE, relayJobId } from '../relay/relay-queue.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Args = Record<string, unknown>;

const CURSOR_NAME = 'DatanetRegistry';
const str = (v: unknown) => String(v);
const num = (v: unknown) => Number(v as bigint);

/** The indexer cursor in this service's own table. */
export class DbCursorStore implements CursorStore {
  constructor(private readonly db: Db) {}
  async load(): Promise<IndexerCursor | undefined> {
    const [row] = await this.db.select().from(indexerCursors).where(eq(indexerCursors.name, CURSOR_NAME));
    return row?.cursor as IndexerCursor | undefined;
  }
  async save(cursor: IndexerCursor): Promise<void> {
    await saveCursor(this.db, cursor);
  }
}

async function saveCursor(db: Db | Tx, cursor: IndexerCursor): Promise<void> {
  await db
    .insert(indexerCursors)
    .values({ name: CURSOR_NAME, cursor })
    .onConflictDoUpdate({ target: indexerCursors.name, set: { cursor, updatedAt: new Date() } });
}

/**
 * Mirrors DatanetRegistry events into the service's tables. Each block's logs, their effects, the jobs
 * they cause (outbox) and the cursor are written in one transaction; a log already stored (same
 * checkpoint) is skipped, so a re-delivered block changes nothing. A reorg deletes the removed logs and
 * replays the rest into fresh tables; acceptances the reorg took away are announced as revocations.
 */
export class RegistryMirror {
  constructor(
    private readonly db: Db,
    private readonly deps: { resolveMetadata: MetadataResolver; exportUrl: (contributionId: number) => string },
  ) {}

  readonly handle = async (event: IndexerEvent): Promise<void> => {
    if (event.type === 'block') {
      await this.db.transaction(async (tx) => {
        for (const log of event.logs) {
          const inserted = await tx
            .insert(chainEvents)
            .values({
              checkpoint: log.checkpoint,
              blockNumber: log.blockNumber,
              blockHash: log.blockHash,
              txHash: log.transactionHash,
              eventName: log.eventName,
              args: jsonArgs(log.args),
            })
            .onConflictDoNothing()
            .returning({ checkpoint: chainEvents.checkpoint });
          if (inserted.length) await this.apply(tx, log.eventName, jsonArgs(log.args), log, true);
        }
        await saveCursor(tx, event.cursor);
      });
    } else if (event.type === 'reorg') {
      await this.db.transaction(async (tx) => {
        const acceptedBefore = await tx
          .select({ id: contributions.id, datanetId: contributions.datanetId, contributor: contributions.contributor })
          .from(contributions)
          .where(eq(contributions.status, 'accepted'));
        await tx.delete(chainEvents).where(gt(chainEvents.checkpoint, event.checkpoint));
        const resubmit = await this.replay(tx);
        // signed batches whose submission the reorg removed are relayed again (the worker checks the chain first)
        for (const batchId of resubmit) {
          await tx
            .insert(outbox)
            .values({ queue: RELAY_QUEUE, jobId: `${relayJobId(batchId)}-reorg-${event.rollbackTo}`, payload: { batchId } })
            .onConflictDoNothing();
        }
        const acceptedAfter = new Set(
          (await tx.select({ id: contributions.id }).from(contributions).where(eq(contributions.status, 'accepted'))).map((r) => r.id),
        );
        for (const c of acceptedBefore) {
          if (acceptedAfter.has(c.id)) continue;
          const job: ContributionRevokedJob = {
            datanetId: String(c.datanetId),
            contributionId: String(c.id),
            contributor: c.contributor as `0x${string}`,
            reason: `chain reorganisation removed the acceptance (rolled back to block ${event.rollbackTo})`,
          };
          await tx.insert(outbox).values({ queue: QUEUES.contributionRevoked, jobId: contributionJobId(String(c.id)), payload: job }).onConflictDoNothing();
        }
        await saveCursor(tx, event.cursor);
      });
    } else {
      await saveCursor(this.db, event.cursor);
    }
  };

  /** Rebuilds every mirrored table from the stored logs (after a reorg removed some of them). */
  private async replay(tx: Tx): Promise<string[]> {
    await tx.delete(datanets);
    await tx.delete(curators);
    await tx.delete(stakes);
    await tx.delete(contributions);
    const events = await tx.select().from(chainEvents).orderBy(asc(chainEvents.checkpoint));
    for (const e of events) {
      await this.apply(tx, e.eventName, e.args, { blockNumber: e.blockNumber, transactionHash: e.txHash }, false);
    }
    // batches whose submission vanished go back to waiting for the relayer (their signature is valid again)
    const reset = (await tx.execute(sql`
      update datanet_service.batches b
         set contribution_id = null, tx_hash = null, raw_transaction = null, updated_at = now(),
             status = case when b.signature is null then 'ready' else 'signed' end
       where b.contribution_id is not null
         and not exists (select 1 from datanet_service.contributions c where c.id = b.contribution_id)
      returning b.id, b.status`)) as unknown as { rows: { id: string; status: string }[] };
    return reset.rows.filter((r) => r.status === 'signed').map((r) => r.id);
  }

  private async apply(tx: Tx, name: string, a: Args, log: Pick<DecodedLog, 'blockNumber' | 'transactionHash'>, live: boolean): Promise<void> {
    switch (name) {
      case 'DatanetCreated': {
        const resolved = await this.deps.resolveMetadata(str(a.metadataURI));
        const row = {
          id: num(a.datanetId),
          owner: str(a.owner),
          name: str(a.name),
          metadataUri: str(a.metadataURI),
          minStake: str(a.minStake),
          createdBlock: log.blockNumber,
          metadata: resolved?.metadata ?? null,
          recordSchema: resolved?.recordSchema ?? null,
        };
        await tx.insert(datanets).values(row).onConflictDoNothing();
        return;
      }
      case 'DatanetUpdated': {
        const resolved = await this.deps.resolveMetadata(str(a.metadataURI));
        await tx
          .update(datanets)
          .set({ metadataUri: str(a.metadataURI), minStake: str(a.minStake), metadata: resolved?.metadata ?? null, recordSchema: resolved?.recordSchema ?? null })
          .where(eq(datanets.id, num(a.datanetId)));
        return;
      }
      case 'CuratorSet':
        if (a.enabled) await tx.insert(curators).values({ datanetId: num(a.datanetId), account: str(a.curator) }).onConflictDoNothing();
        else await tx.delete(curators).where(and(eq(curators.datanetId, num(a.datanetId)), eq(curators.account, str(a.curator))));
        return;
      case 'Staked':
        await tx
          .insert(stakes)
          .values({ datanetId: num(a.datanetId), account: str(a.account), amount: str(a.newStake) })
          .onConflictDoUpdate({ target: [stakes.datanetId, stakes.account], set: { amount: str(a.newStake) } });
        await this.addTotal(tx, num(a.datanetId), str(a.amount));
        return;
      case 'UnstakeRequested':
        await tx
          .update(stakes)
          .set({
            amount: sql`${stakes.amount} - ${str(a.amount)}::numeric`,
            pendingUnstake: sql`${stakes.pendingUnstake} + ${str(a.amount)}::numeric`,
            unlockAt: num(a.unlockAt),
          })
          .where(and(eq(stakes.datanetId, num(a.datanetId)), eq(stakes.account, str(a.account))));
        await this.addTotal(tx, num(a.datanetId), `-${str(a.amount)}`);
        return;
      case 'Withdrawn':
        await tx
          .update(stakes)
          .set({ pendingUnstake: '0', unlockAt: 0 })
          .where(and(eq(stakes.datanetId, num(a.datanetId)), eq(stakes.account, str(a.account))));
        return;
      case 'Slashed': {
        const [s] = await tx
          .select()
          .from(stakes)
          .where(and(eq(stakes.datanetId, num(a.datanetId)), eq(stakes.account, str(a.account))));
        if (!s) return;
        const amount = BigInt(str(a.amount));
        const active = BigInt(s.amount);
        const fromActive = amount < active ? amount : active;
        await tx
          .update(stakes)
          .set({ amount: String(active - fromActive), pendingUnstake: String(BigInt(s.pendingUnstake) - (amount - fromActive)) })
          .where(and(eq(stakes.datanetId, num(a.datanetId)), eq(stakes.account, str(a.account))));
        await this.addTotal(tx, num(a.datanetId), String(-fromActive));
        return;
      }
      case 'ContributionSubmitted': {
        const id = num(a.contributionId);
        const datanetId = num(a.datanetId);
        const root = str(a.batchRoot).toLowerCase();
        await tx
          .insert(contributions)
          .values({
            id,
            datanetId,
            contributor: str(a.contributor),
            batchRoot: root,
            recordCount: num(a.recordCount),
            uri: str(a.uri),
            status: 'pending',
            submittedBlock: log.blockNumber,
            submittedTx: log.transactionHash,
          })
          .onConflictDoNothing();
        await tx.update(datanets).set({ contributionCount: sql`${datanets.contributionCount} + 1` }).where(eq(datanets.id, datanetId));
        // link the uploaded batch this submission anchors (relayed or sent by the contributor)
        const [batch] = await tx
          .select({ id: batches.id })
          .from(batches)
          .where(
            and(
              eq(batches.batchRoot, root),
              eq(batches.contributor, str(a.contributor)),
              eq(batches.datanetId, datanetId),
              eq(batches.recordCount, num(a.recordCount)),
              isNull(batches.contributionId),
            ),
          )
          .orderBy(asc(batches.createdAt))
          .limit(1);
        if (batch) {
          await tx
            .update(batches)
            .set({ contributionId: id, status: 'submitted', txHash: log.transactionHash, error: null, updatedAt: new Date() })
            .where(eq(batches.id, batch.id));
        }
        return;
      }
      case 'ContributionAccepted': {
        const id = num(a.contributionId);
        const [c] = await tx
          .update(contributions)
          .set({ status: 'accepted', weight: str(a.weight), reviewedBy: str(a.curator) })
          .where(eq(contributions.id, id))
          .returning();
        await tx.update(datanets).set({ acceptedCount: sql`${datanets.acceptedCount} + 1` }).where(eq(datanets.id, num(a.datanetId)));
        if (live && c) {
          const job: ContributionAcceptedJob = {
            datanetId: String(c.datanetId),
            contributionId: String(id),
            contributor: c.contributor as `0x${string}`,
            weight: str(a.weight),
            recordCount: c.recordCount,
            batchRoot: c.batchRoot as `0x${string}`,
            exportUrl: this.deps.exportUrl(id),
          };
          await tx.insert(outbox).values({ queue: QUEUES.contributionAccepted, jobId: contributionJobId(String(id)), payload: job }).onConflictDoNothing();
        }
        return;
      }
      case 'ContributionRejected':
        await tx
          .update(contributions)
          .set({ status: 'rejected', reviewedBy: str(a.curator), reason: str(a.reason), malicious: Boolean(a.malicious) })
          .where(eq(contributions.id, num(a.contributionId)));
        return;
      case 'ContributionRevoked': {
        const id = num(a.contributionId);
        const [c] = await tx
          .update(contributions)
          .set({ status: 'revoked', reviewedBy: str(a.by), reason: str(a.reason) })
          .where(eq(contributions.id, id))
          .returning();
        await tx.update(datanets).set({ acceptedCount: sql`${datanets.acceptedCount} - 1` }).where(eq(datanets.id, num(a.datanetId)));
        if (live && c) {
          const job: ContributionRevokedJob = {
            datanetId: String(c.datanetId),
            contributionId: String(id),
            contributor: c.contributor as `0x${string}`,
            reason: str(a.reason),
          };
          await tx.insert(outbox).values({ queue: QUEUES.contributionRevoked, jobId: contributionJobId(String(id)), payload: job }).onConflictDoNothing();
        }
        return;
      }
      default:
        return;
    }
  }

  private async addTotal(tx: Tx, datanetId: number, delta: string): Promise<void> {
    await tx
      .update(datanets)
      .set({ totalStaked: sql`${datanets.totalStaked} + ${delta}::numeric` })
      .where(eq(datanets.id, datanetId));
  }
}

/** bigint → decimal string, so the args fit jsonb and replay the same. */
function jsonArgs(args: Args): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) out[k] = typeof v === 'bigint' ? v.toString() : v;
  return out;
}

