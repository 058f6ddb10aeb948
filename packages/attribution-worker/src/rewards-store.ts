import { asc, eq } from 'drizzle-orm';
import { getAddress } from 'ethers';
import { RewardTree } from '@openledger/sdk';
import type { Database } from '@openledger/service-kit';
import { epochs, rewards } from './db/schema.js';

/** Reads the reward trees of settled epochs back from Postgres (cached), for proofs and leaf sets. */
export class RewardsStore {
  private readonly cache = new Map<number, RewardTree>();
  constructor(private readonly db: Database) {}

  async tree(epoch: number): Promise<RewardTree | undefined> {
    const cached = this.cache.get(epoch);
    if (cached) return cached;
    const [row] = await this.db.select().from(epochs).where(eq(epochs.epoch, epoch));
    if (!row?.root) return undefined;
    const leaves = await this.db.select().from(rewards).where(eq(rewards.epoch, epoch)).orderBy(asc(rewards.account));
    const tree = RewardTree.of(leaves.map((l) => ({ account: getAddress(l.account), cumulativeAmount: BigInt(l.cumulative) })));
    if (tree.root !== row.root) throw new Error(`epoch ${epoch}: stored leaves give root ${tree.root}, not ${row.root}`);
    if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(epoch, tree);
    return tree;
  }
}
