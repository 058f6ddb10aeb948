import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { getAddress, Interface } from 'ethers';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { abis } from '@openledger/sdk';
import { notFound, problemResponses, type Database } from '@openledger/service-kit';
import { epochs, rewards, usageEvents, usageScores } from '../db/schema.js';
import type { RewardsStore } from '../rewards-store.js';
import {
  AccountParams,
  AccountRewards,
  EpochList,
  EpochParams,
  LeafSet,
  ProofQuery,
  RewardProof,
  UsageAttribution,
  UsageParams,
} from '../schemas/rewards.js';

export interface RewardRoutesOptions {
  db: Database;
  store: RewardsStore;
  settlementAddress?: string;
}

const settlementInterface = new Interface(abis.AttributionSettlement as unknown as string[]);
const POSTED = ['posted', 'done'] as const;

export const rewardRoutes: FastifyPluginAsyncTypebox<RewardRoutesOptions> = async (app, { db, store, settlementAddress }) => {
  app.get('/v1/epochs', { schema: { tags: ['rewards'], response: { 200: EpochList } } }, async () => {
    const rows = await db.select().from(epochs).orderBy(desc(epochs.epoch)).limit(1000);
    return { epochs: rows.map((r) => ({ ...r, cutoff: r.cutoff.toISOString(), createdAt: undefined, updatedAt: undefined })) };
  });

  app.get(
    '/v1/epochs/:epoch/leaves',
    { schema: { tags: ['rewards'], params: EpochParams, response: { 200: LeafSet, ...problemResponses(404) } } },
    async (request) => {
      const { epoch } = request.params;
      const [row] = await db.select().from(epochs).where(eq(epochs.epoch, epoch));
      const tree = await store.tree(epoch);
      if (!row || !tree || row.chainEpoch === null) throw notFound(`epoch ${epoch} has no reward tree`);
      return {
        epoch,
        chainEpoch: row.chainEpoch,
        root: tree.root,
        total: row.total!,
        leafEncoding: ['address', 'uint256'],
        leaves: tree.entries.map((e) => ({ account: getAddress(e.account), cumulativeAmount: e.cumulativeAmount.toString() })),
      };
    },
  );

  app.get(
    '/v1/rewards/:account',
    { schema: { tags: ['rewards'], params: AccountParams, response: { 200: AccountRewards } } },
    async (request) => {
      const account = request.params.account.toLowerCase();
      const rows = await db
        .select({ epoch: rewards.epoch, cumulative: rewards.cumulative, amount: rewards.amount, chainEpoch: epochs.chainEpoch, state: epochs.state })
        .from(rewards)
        .innerJoin(epochs, eq(epochs.epoch, rewards.epoch))
        .where(eq(rewards.account, account))
        .orderBy(asc(rewards.epoch));
      return {
        account: getAddress(account),
        epochs: rows.map((r) => ({ epoch: r.epoch, chainEpoch: r.chainEpoch, state: r.state, cumulativeAmount: r.cumulative, amount: r.amount })),
      };
    },
  );

  app.get(
    '/v1/rewards/:account/proof',
    { schema: { tags: ['rewards'], params: AccountParams, querystring: ProofQuery, response: { 200: RewardProof, ...problemResponses(404) } } },
    async (request) => {
      const account = request.params.account.toLowerCase();
      let epoch = request.query.epoch;
      if (epoch === undefined) {
        const [latest] = await db
          .select({ epoch: epochs.epoch })
          .from(epochs)
          .where(and(inArray(epochs.state, [...POSTED]), isNotNull(epochs.root)))
          .orderBy(desc(epochs.epoch))
          .limit(1);
        if (!latest) throw notFound('no epoch has been posted yet');
        epoch = latest.epoch;
      }
      const [row] = await db.select().from(epochs).where(eq(epochs.epoch, epoch));
      if (!row || row.chainEpoch === null) throw notFound(`epoch ${epoch} has no reward tree`);
      const tree = await store.tree(epoch);
      const claim = tree?.claimFor(account);
      if (!tree || !claim) throw notFound(`account ${getAddress(account)} has no reward in epoch ${epoch}`);
      return {
        account: claim.account,
        epoch,
        chainEpoch: row.chainEpoch,
        root: tree.root,
        cumulativeAmount: claim.cumulativeAmount.toString(),
        proof: claim.proof,
        claim: {
          to: settlementAddress ?? null,
          data: settlementInterface.encodeFunctionData('claim', [claim.account, claim.cumulativeAmount, claim.proof]),
        },
      };
    },
  );

  app.get(
    '/v1/usage/:usageId',
    { schema: { tags: ['attribution'], params: UsageParams, response: { 200: UsageAttribution, ...problemResponses(404) } } },
    async (request) => {
      const { usageId } = request.params;
      const [u] = await db.select().from(usageEvents).where(eq(usageEvents.usageId, usageId));
      if (!u) throw notFound(`usage ${usageId} is unknown`);
      const scores = await db.select().from(usageScores).where(eq(usageScores.usageId, usageId)).orderBy(asc(usageScores.contributionId));
      return {
        usageId,
        method: u.method,
        spanCount: u.spanCount,
        epoch: u.epoch,
        scores: scores.map((s) => ({ contributionId: s.contributionId, contributor: getAddress(s.contributor), score: s.score })),
      };
    },
  );
};
