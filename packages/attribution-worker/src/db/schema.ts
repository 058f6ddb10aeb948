import { bigint, index, integer, numeric, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const attribution = pgSchema('attribution');

/** Amounts in wei and scores: numeric(78) (uint256 range), read and written as decimal strings. */
const wei = (name: string) => numeric(name, { precision: 78, scale: 0 });

/** Contributions the index holds (or held, when revoked). */
export const contributions = attribution.table(
  'contributions',
  {
    contributionId: text('contribution_id').primaryKey(),
    datanetId: text('datanet_id').notNull(),
    contributor: text('contributor').notNull(),
    weight: wei('weight').notNull(),
    recordCount: integer('record_count').notNull(),
    tokenCount: bigint('token_count', { mode: 'number' }).notNull(),
    status: text('status').$type<'active' | 'revoked'>().notNull(),
    reason: text('reason'),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('contributions_datanet_idx').on(t.datanetId)],
);

/** One billable inference and its attribution. `epoch` is set when an epoch takes it. */
export const usageEvents = attribution.table(
  'usage_events',
  {
    usageId: text('usage_id').primaryKey(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    payer: text('payer').notNull(),
    operator: text('operator').notNull(),
    modelOwner: text('model_owner').notNull(),
    adapterId: text('adapter_id').notNull(),
    feeWei: wei('fee_wei').notNull(),
    authCap: wei('auth_cap').notNull(),
    authExpiry: bigint('auth_expiry', { mode: 'number' }).notNull(),
    authSignature: text('auth_signature').notNull(),
    method: text('method').$type<'span' | 'weight' | 'none'>().notNull(),
    spanCount: integer('span_count').notNull(),
    epoch: integer('epoch'),
    scoredAt: timestamp('scored_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('usage_events_epoch_idx').on(t.epoch), index('usage_events_completed_idx').on(t.completedAt)],
);

export const usageScores = attribution.table(
  'usage_scores',
  {
    usageId: text('usage_id').notNull(),
    contributionId: text('contribution_id').notNull(),
    contributor: text('contributor').notNull(),
    score: wei('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.usageId, t.contributionId] })],
);

export type EpochState = 'collecting' | 'collected' | 'root-built' | 'posted' | 'done';

export const epochs = attribution.table('epochs', {
  epoch: integer('epoch').primaryKey(),
  state: text('state').$type<EpochState>().notNull(),
  cutoff: timestamp('cutoff', { withTimezone: true }).notNull(),
  /** The on-chain epoch the root is posted as (lastPostedEpoch + 1 when the root was built); null = nothing to post. */
  chainEpoch: integer('chain_epoch'),
  root: text('root'),
  total: wei('total'),
  distributed: wei('distributed'),
  unallocated: wei('unallocated'),
  leafCount: integer('leaf_count'),
  dataUri: text('data_uri'),
  postTx: text('post_tx'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CollectionStatus = 'pending' | 'sending' | 'done' | 'failed';

/** One FeeEscrow.collect per (epoch, payer, operator, model owner): the sum of that payer's fees for that owner. */
export const collections = attribution.table(
  'collections',
  {
    epoch: integer('epoch').notNull(),
    payer: text('payer').notNull(),
    operator: text('operator').notNull(),
    modelOwner: text('model_owner').notNull(),
    amount: wei('amount').notNull(),
    authCap: wei('auth_cap').notNull(),
    authExpiry: bigint('auth_expiry', { mode: 'number' }).notNull(),
    authSignature: text('auth_signature').notNull(),
    status: text('status').$type<CollectionStatus>().notNull(),
    /** FeeEscrow.spent(payer, operator) read just before the collect was signed, and the block then. */
    spentBefore: wei('spent_before'),
    fromBlock: bigint('from_block', { mode: 'number' }),
    /** FeesSplit.contributors of the collect transaction. */
    contributorsPart: wei('contributors_part'),
    txHash: text('tx_hash'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.payer, t.operator, t.modelOwner] })],
);

/** Signed transactions stored before they are broadcast, so a restarted worker re-sends the same one. */
export const chainSends = attribution.table('chain_sends', {
  key: text('key').primaryKey(),
  sender: text('sender').notNull(),
  nonce: integer('nonce').notNull(),
  rawTx: text('raw_tx').notNull(),
  txHash: text('tx_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Cumulative reward per account after each epoch: the leaves of that epoch's tree. */
export const rewards = attribution.table(
  'rewards',
  {
    epoch: integer('epoch').notNull(),
    account: text('account').notNull(),
    cumulative: wei('cumulative').notNull(),
    amount: wei('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.epoch, t.account] }), index('rewards_account_idx').on(t.account)],
);

export const schema = { contributions, usageEvents, usageScores, epochs, collections, chainSends, rewards };
