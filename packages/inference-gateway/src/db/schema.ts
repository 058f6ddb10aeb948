import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, numeric, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const gateway = pgSchema('inference_gateway');

/** API keys handed out after a SIWE sign-in; only the sha256 of the key is kept. */
export const apiKeys = gateway.table('api_keys', {
  id: text('id').primaryKey(),
  keyHash: text('key_hash').notNull().unique(),
  address: text('address').notNull(),
  label: text('label').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

export const siweNonces = gateway.table('siwe_nonces', {
  nonce: text('nonce').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Base models mirrored from the ModelRegistry. */
export const baseModels = gateway.table('base_models', {
  id: text('id').primaryKey(),
  owner: text('owner').notNull(),
  name: text('name').notNull(),
  fileHash: text('file_hash').notNull(),
  uri: text('uri').notNull(),
  delisted: boolean('delisted').notNull().default(false),
});

/** Adapters mirrored from the ModelRegistry, at their latest version (what is served). */
export const adapters = gateway.table(
  'adapters',
  {
    id: text('id').primaryKey(),
    baseModelId: text('base_model_id').notNull(),
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    fileHash: text('file_hash').notNull(),
    uri: text('uri').notNull(),
    rank: integer('rank').notNull(),
    pricePer1kTokensWei: numeric('price_per1k_tokens_wei', { precision: 78, scale: 0 }).notNull(),
    datanetIds: jsonb('datanet_ids').$type<string[]>().notNull(),
    deprecated: boolean('deprecated').notNull().default(false),
    delisted: boolean('delisted').notNull().default(false),
    publishedAt: bigint('published_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('adapters_name_idx').on(t.name)],
);

/** The caller's latest signed FeeEscrow SpendingAuthorization for this gateway's operator. */
export const spendingAuthorizations = gateway.table('spending_authorizations', {
  payer: text('payer').primaryKey(),
  operator: text('operator').notNull(),
  capWei: numeric('cap_wei', { precision: 78, scale: 0 }).notNull(),
  expiry: bigint('expiry', { mode: 'number' }).notNull(),
  signature: text('signature').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per completed, billable inference; `enqueuedAt` is set once it is on the usage queue. */
export const usageEvents = gateway.table(
  'usage_events',
  {
    usageId: text('usage_id').primaryKey(),
    apiKeyId: text('api_key_id').notNull(),
    caller: text('caller').notNull(),
    adapterId: text('adapter_id').notNull(),
    baseModelId: text('base_model_id').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    feeWei: numeric('fee_wei', { precision: 78, scale: 0 }).notNull(),
    payload: jsonb('payload').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    enqueuedAt: timestamp('enqueued_at', { withTimezone: true }),
    /** False for free requests made without a SpendingAuthorization: nothing to attribute, never queued. */
    attributable: boolean('attributable').notNull().default(true),
  },
  (t) => [index('usage_caller_idx').on(t.caller), index('usage_unqueued_idx').on(t.enqueuedAt).where(sql`${t.enqueuedAt} is null and ${t.attributable}`)],
);

/**
 * Every fee this gateway metered per payer, kept by a trigger on `usage_events` (migration 0003) in the
 * same transaction as the usage row, so a credit check reads one row instead of summing the payer's history.
 */
export const payerFees = gateway.table('payer_fees', {
  payer: text('payer').primaryKey(),
  recordedWei: numeric('recorded_wei', { precision: 78, scale: 0 }).notNull().default('0'),
});

/** Adapter files uploaded by model owners, stored content-addressed on disk. */
export const adapterFiles = gateway.table('adapter_files', {
  sha256: text('sha256').primaryKey(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Indexer cursor of the ModelRegistry mirror. */
export const indexerCursors = gateway.table('indexer_cursors', {
  name: text('name').primaryKey(),
  cursor: jsonb('cursor').notNull(),
});

export const schema = { apiKeys, siweNonces, baseModels, adapters, spendingAuthorizations, usageEvents, adapterFiles, indexerCursors };
export type GatewaySchema = typeof schema;
