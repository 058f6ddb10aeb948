import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, desc, eq, inArray, isNull, lt, ne } from 'drizzle-orm';
import { getAddress, type Interface, type JsonRpcProvider, type TransactionReceipt, type Wallet } from 'ethers';
import { getAttributionSettlement, getFeeEscrow, RewardTree, type RewardEntry } from '@openledger/sdk';
import type { Database } from '@openledger/service-kit';
import { collections, epochs, rewards, usageEvents, usageScores, type EpochState } from '../db/schema.js';
import type { ChainSender } from './chain-sender.js';
import { distributeEpoch, type CollectedGroup, type ScoredInference } from './distribution.js';

export interface SettlementChain {
  provider: JsonRpcProvider;
  /** Collects fees: must be the `operator` of the callers' SpendingAuthorizations and hold OPERATOR_ROLE. */
  operator: Wallet;
  /** Posts roots: holds SETTLER_ROLE. */
  settler: Wallet;
  feeEscrow: string;
  settlement: string;
}

/** Named points where tests inject a crash (the hook throws) to prove the epoch resumes exactly once. */
export type CrashPoint =
  | 'after-open'
  | 'collect-before-broadcast'
  | 'collect-after-receipt'
  | 'after-collected'
  | 'root-before-commit'
  | 'after-root-built'
  | 'post-before-broadcast'
  | 'post-after-receipt'
  | 'after-posted';

export interface SettlerDeps {
  db: Database;
  chain: SettlementChain;
  sender: ChainSender;
  /** Folder the published leaf sets are written to. */
  leavesDir: string;
  /** Base URL of this service's API, for the data URI of each root. */
  publicUrl: string;
  crash?: (point: CrashPoint) => void;
  log?: (message: string) => void;
}

export class SettlementConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettlementConflictError';
  }
}

/**
 * The epoch state machine: collecting → collected → root-built → posted → done, persisted in Postgres.
 * Every step re-reads its state, checks the chain before sending, and stores signed transactions before
 * broadcasting them (ChainSender), so a worker killed anywhere resumes and settles the epoch once.
 */
export class Settler {
  constructor(private readonly deps: SettlerDeps) {}

  private crash(point: CrashPoint): void {
    this.deps.crash?.(point);
  }

  /** Resumes the unfinished epoch, or opens one for the usage completed before `cutoff`; runs it to done. */
  async tick(cutoff: Date): Promise<number | null> {
    const epoch = (await this.unfinishedEpoch()) ?? (await this.openEpoch(cutoff));
    if (epoch === null) return null;
    await this.run(epoch);
    return epoch;
  }

  async unfinishedEpoch(): Promise<number | null> {
    const [row] = await this.deps.db.select({ epoch: epochs.epoch }).from(epochs).where(ne(epochs.state, 'done')).orderBy(asc(epochs.epoch)).limit(1);
    return row?.epoch ?? null;
  }

  /** Atomically creates the epoch, assigns it the pending usage and plans one collection per payer and model owner. */
  async openEpoch(cutoff: Date): Promise<number | null> {
    const epoch = await this.deps.db.transaction(async (tx) => {
      const pending = await tx
        .select()
        .from(usageEvents)
        .where(and(isNull(usageEvents.epoch), lt(usageEvents.completedAt, cutoff)))
        .orderBy(asc(usageEvents.usageId));
      if (pending.length === 0) return null;
      const [last] = await tx.select({ epoch: epochs.epoch }).from(epochs).orderBy(desc(epochs.epoch)).limit(1);
      const n = (last?.epoch ?? 0) + 1;
      await tx.insert(epochs).values({ epoch: n, state: 'collecting', cutoff });
      await tx
        .update(usageEvents)
        .set({ epoch: n })
        .where(and(isNull(usageEvents.epoch), lt(usageEvents.completedAt, cutoff)));
      // Best authorization per payer and operator: highest cap, then latest expiry.
      const best = new Map<string, (typeof pending)[number]>();
      for (const u of pending) {
        const key = `${u.payer}|${u.operator}`;
        const b = best.get(key);
        if (!b || BigInt(u.authCap) > BigInt(b.authCap) || (BigInt(u.authCap) === BigInt(b.authCap) && u.authExpiry > b.authExpiry)) best.set(key, u);
      }
      const groups = new Map<string, { payer: string; operator: string; modelOwner: string; amount: bigint }>();
      for (const u of pending) {
        const key = `${u.payer}|${u.operator}|${u.modelOwner}`;
        const g = groups.get(key) ?? { payer: u.payer, operator: u.operator, modelOwner: u.modelOwner, amount: 0n };
        g.amount += BigInt(u.feeWei);
        groups.set(key, g);
      }
      const rows = [...groups.values()]
        .filter((g) => g.amount > 0n)
        .map((g) => {
          const auth = best.get(`${g.payer}|${g.operator}`)!;
          return {
            epoch: n,
            payer: g.payer,
            operator: g.operator,
            modelOwner: g.modelOwner,
            amount: g.amount.toString(),
            authCap: auth.authCap,
            authExpiry: auth.authExpiry,
            authSignature: auth.authSignature,
            status: 'pending' as const,
          };
        });
      if (rows.length > 0) await tx.insert(collections).values(rows);
      return n;
    });
    if (epoch !== null) {
      this.deps.log?.(`epoch ${epoch} opened (usage before ${cutoff.toISOString()})`);
      this.crash('after-open');
    }
    return epoch;
  }

  async state(epoch: number): Promise<EpochState> {
    const [row] = await this.deps.db.select({ state: epochs.state }).from(epochs).where(eq(epochs.epoch, epoch));
    if (!row) throw new Error(`epoch ${epoch} does not exist`);
    return row.state;
  }

  private async setState(epoch: number, state: EpochState, extra: Partial<typeof epochs.$inferInsert> = {}): Promise<void> {
    await this.deps.db.update(epochs).set({ ...extra, state, updatedAt: new Date() }).where(eq(epochs.epoch, epoch));
  }

  /** Runs the epoch's state machine from wherever it stands to done. */
  async run(epoch: number): Promise<void> {
    for (;;) {
      const state = await this.state(epoch);
      if (state === 'done') return;
      if (state === 'collecting') await this.collect(epoch);
      else if (state === 'collected') await this.buildRoot(epoch);
      else if (state === 'root-built') await this.post(epoch);
      else if (state === 'posted') await this.finish(epoch);
    }
  }

  private async collect(epoch: number): Promise<void> {
    const { db, chain, sender } = this.deps;
    const escrow = getFeeEscrow(chain.feeEscrow, chain.operator);
    const open = await db
      .select()
      .from(collections)
      .where(and(eq(collections.epoch, epoch), inArray(collections.status, ['pending', 'sending'])))
      .orderBy(asc(collections.payer), asc(collections.modelOwner));
    for (const c of open) {
      const key = `collect:${epoch}:${c.payer}:${c.operator}:${c.modelOwner}`;
      const where = and(eq(collections.epoch, epoch), eq(collections.payer, c.payer), eq(collections.operator, c.operator), eq(collections.modelOwner, c.modelOwner));
      let receipt: TransactionReceipt | null = null;
      if (c.status === 'sending') receipt = await sender.resume(key);
      if (!receipt && c.status === 'sending' && c.spentBefore !== null) {
        // No stored transaction to replay: ask the chain whether this collect happened anyway.
        const spentNow = await escrow.spent(c.payer, c.operator);
        if (spentNow >= BigInt(c.spentBefore) + BigInt(c.amount)) {
          receipt = await this.findCollect(epoch, c.payer, c.operator, c.modelOwner, BigInt(c.amount), c.fromBlock ?? 0);
          if (!receipt) throw new SettlementConflictError(`spent(${c.payer}) moved past this collect but no Collected event of epoch ${epoch} matches; refusing to collect twice`);
        }
      }
      if (!receipt) {
        if (getAddress(c.operator) !== chain.operator.address) {
          await db.update(collections).set({ status: 'failed', error: `authorization names operator ${c.operator}, this worker collects as ${chain.operator.address}` }).where(where);
          continue;
        }
        const auth = { payer: c.payer, operator: c.operator, cap: BigInt(c.authCap), expiry: BigInt(c.authExpiry) };
        const args = [auth, c.authSignature, BigInt(c.amount), c.modelOwner, BigInt(epoch)] as const;
        try {
          await escrow.collect.staticCall(...args);
        } catch (error) {
          const reason = revertReason(error);
          if (reason === undefined) throw error; // not a revert (RPC down): retry later
          await db.update(collections).set({ status: 'failed', error: reason }).where(where);
          this.deps.log?.(`epoch ${epoch}: collect from ${c.payer} failed: ${reason}`);
          continue;
        }
        const [spentBefore, fromBlock] = await Promise.all([escrow.spent(c.payer, c.operator), chain.provider.getBlockNumber()]);
        await db.update(collections).set({ status: 'sending', spentBefore: spentBefore.toString(), fromBlock }).where(where);
        const data = (escrow.interface as Interface).encodeFunctionData('collect', [...args]);
        receipt = await sender.send(key, chain.operator, { to: chain.feeEscrow, data }, () => this.crash('collect-before-broadcast'));
        if (!receipt) throw new Error(`collect ${key} was dropped; retrying`);
      }
      this.crash('collect-after-receipt');
      if (receipt.status !== 1) {
        await db.update(collections).set({ status: 'failed', error: `transaction ${receipt.hash} reverted`, txHash: receipt.hash }).where(where);
        continue;
      }
      let contributorsPart: bigint | undefined;
      for (const log of receipt.logs) {
        if (log.address.toLowerCase() !== chain.feeEscrow.toLowerCase()) continue;
        const parsed = escrow.interface.parseLog(log);
        if (parsed?.name === 'FeesSplit') contributorsPart = parsed.args.contributors as bigint;
      }
      if (contributorsPart === undefined) throw new Error(`collect ${receipt.hash} emitted no FeesSplit`);
      await db.update(collections).set({ status: 'done', contributorsPart: contributorsPart.toString(), txHash: receipt.hash }).where(where);
    }
    await this.setState(epoch, 'collected');
    this.crash('after-collected');
  }

  /** The receipt of the Collected event of this epoch's collect, if the chain has one. */
  private async findCollect(epoch: number, payer: string, operator: string, modelOwner: string, amount: bigint, fromBlock: number): Promise<TransactionReceipt | null> {
    const escrow = getFeeEscrow(this.deps.chain.feeEscrow, this.deps.chain.provider);
    const events = await escrow.queryFilter(escrow.filters.Collected(payer, operator, modelOwner), fromBlock);
    for (const e of events) {
      const args = (e as unknown as { args: { epoch: bigint; amount: bigint } }).args;
      if (args.epoch === BigInt(epoch) && args.amount === amount) return this.deps.chain.provider.getTransactionReceipt(e.transactionHash);
    }
    return null;
  }

  private async buildRoot(epoch: number): Promise<void> {
    const { db, chain } = this.deps;
    const done = await db.select().from(collections).where(and(eq(collections.epoch, epoch), eq(collections.status, 'done')));
    const groups: CollectedGroup[] = [];
    for (const c of done) {
      const usage = await db
        .select({ usageId: usageEvents.usageId, feeWei: usageEvents.feeWei })
        .from(usageEvents)
        .where(and(eq(usageEvents.epoch, epoch), eq(usageEvents.payer, c.payer), eq(usageEvents.modelOwner, c.modelOwner), eq(usageEvents.operator, c.operator)));
      const ids = usage.map((u) => u.usageId);
      const scores = ids.length === 0 ? [] : await db.select().from(usageScores).where(inArray(usageScores.usageId, ids));
      const byUsage = new Map<string, ScoredInference>();
      for (const u of usage) byUsage.set(u.usageId, { feeWei: BigInt(u.feeWei), scores: [] });
      for (const s of scores) (byUsage.get(s.usageId)!.scores as Array<{ account: string; score: bigint }>).push({ account: s.contributor, score: BigInt(s.score) });
      groups.push({ contributorsPart: BigInt(c.contributorsPart ?? '0'), inferences: [...byUsage.values()] });
    }
    const { deltas, distributed, unallocated } = distributeEpoch(groups);
    // Cumulative amounts: the previous tree's leaves plus this epoch's rewards.
    const [prev] = await db.select({ epoch: rewards.epoch }).from(rewards).where(lt(rewards.epoch, epoch)).orderBy(desc(rewards.epoch)).limit(1);
    const cumulative = new Map<string, { cumulative: bigint; amount: bigint }>();
    if (prev) {
      for (const r of await db.select().from(rewards).where(eq(rewards.epoch, prev.epoch))) cumulative.set(r.account, { cumulative: BigInt(r.cumulative), amount: 0n });
    }
    for (const [account, amount] of deltas) {
      const e = cumulative.get(account) ?? { cumulative: 0n, amount: 0n };
      e.cumulative += amount;
      e.amount += amount;
      cumulative.set(account, e);
    }
    const accounts = [...cumulative.keys()].sort();
    if (accounts.length === 0) {
      await this.setState(epoch, 'done', { distributed: '0', unallocated: unallocated.toString(), leafCount: 0 });
      this.deps.log?.(`epoch ${epoch}: nothing to distribute`);
      return;
    }
    const entries: RewardEntry[] = accounts.map((a) => ({ account: getAddress(a), cumulativeAmount: cumulative.get(a)!.cumulative }));
    const tree = RewardTree.of(entries);
    const total = entries.reduce((s, e) => s + e.cumulativeAmount, 0n);
    const settlement = getAttributionSettlement(chain.settlement, chain.provider);
    const chainEpoch = Number(await settlement.lastPostedEpoch()) + 1;
    const dataUri = `${this.deps.publicUrl.replace(/\/$/, '')}/v1/epochs/${epoch}/leaves`;
    writeLeafFile(this.deps.leavesDir, epoch, { epoch, chainEpoch, root: tree.root, total: total.toString(), dataUri, tree: tree.dump() });
    this.crash('root-before-commit');
    await db.transaction(async (tx) => {
      await tx.delete(rewards).where(eq(rewards.epoch, epoch));
      for (let i = 0; i < accounts.length; i += 1000) {
        await tx.insert(rewards).values(
          accounts.slice(i, i + 1000).map((a) => ({ epoch, account: a, cumulative: cumulative.get(a)!.cumulative.toString(), amount: cumulative.get(a)!.amount.toString() })),
        );
      }
      await tx
        .update(epochs)
        .set({
          state: 'root-built',
          chainEpoch,
          root: tree.root,
          total: total.toString(),
          distributed: distributed.toString(),
          unallocated: unallocated.toString(),
          leafCount: accounts.length,
          dataUri,
          updatedAt: new Date(),
        })
        .where(eq(epochs.epoch, epoch));
    });
    this.deps.log?.(`epoch ${epoch}: root ${tree.root} over ${accounts.length} accounts, total ${total}`);
    this.crash('after-root-built');
  }

  private async post(epoch: number): Promise<void> {
    const { db, chain, sender } = this.deps;
    const [row] = await db.select().from(epochs).where(eq(epochs.epoch, epoch));
    const { chainEpoch, root, total, dataUri } = row!;
    const settlement = getAttributionSettlement(chain.settlement, chain.settler);
    const key = `post:${epoch}`;
    let receipt = (await sender.hasPending(key)) ? await sender.resume(key) : null;
    if (!receipt) {
      const lastPosted = Number(await settlement.lastPostedEpoch());
      if (lastPosted >= chainEpoch!) {
        // our post landed if our root is on chain for this epoch (or, the tree being unchanged, an earlier one)
        const onChain = await settlement.rootInfo(root!);
        if (onChain.epoch === 0n || onChain.epoch > BigInt(chainEpoch!)) {
          throw new SettlementConflictError(`chain epoch ${chainEpoch} is posted, but not with our root ${root}`);
        }
        await this.setState(epoch, 'posted');
        this.crash('after-posted');
        return;
      }
      if (lastPosted !== chainEpoch! - 1) throw new SettlementConflictError(`chain is at epoch ${lastPosted}, cannot post ${chainEpoch}`);
      const data = settlement.interface.encodeFunctionData('postRoot', [BigInt(chainEpoch!), root!, BigInt(total!), dataUri!]);
      receipt = await sender.send(key, chain.settler, { to: chain.settlement, data }, () => this.crash('post-before-broadcast'));
      if (!receipt) throw new Error(`postRoot for epoch ${epoch} was dropped; retrying`);
    }
    this.crash('post-after-receipt');
    if (receipt.status !== 1) throw new Error(`postRoot ${receipt.hash} reverted`);
    await this.setState(epoch, 'posted', { postTx: receipt.hash });
    this.crash('after-posted');
  }

  private async finish(epoch: number): Promise<void> {
    await this.setState(epoch, 'done');
    this.deps.log?.(`epoch ${epoch} settled`);
  }
}

function writeLeafFile(dir: string, epoch: number, content: unknown): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `epoch-${epoch}.json`);
  writeFileSync(`${path}.tmp`, JSON.stringify(content, null, 1));
  renameSync(`${path}.tmp`, path);
}

/** The decoded custom error (or reason) of a reverted call, or undefined when the failure was not a revert. */
export function revertReason(error: unknown): string | undefined {
  const e = error as { code?: string; revert?: { name: string; args: unknown[] } | null; reason?: string | null; shortMessage?: string };
  if (e?.code !== 'CALL_EXCEPTION') return undefined;
  if (e.revert) return `${e.revert.name}(${e.revert.args.map(String).join(', ')})`;
  return e.reason ?? e.shortMessage ?? 'reverted';
}

