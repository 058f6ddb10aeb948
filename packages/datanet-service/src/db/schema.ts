import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Every table of the service lives in its own Postgres schema. */
export const datanetService = pgSchema('datanet_service');

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const now = () => timestamp({ withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------- sign-in

/** Server-issued SIWE nonces: single use (`usedAt`), short-lived (`expiresAt`). */
export const siweNonces = datanetService.table('siwe_nonces', {
  nonce: text().primaryKey(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  usedAt: timestamp({ withTimezone: true }),
  createdAt: now(),
});

/** Sessions: only the SHA-256 of the opaque bearer token is stored. */
export const sessions = datanetService.table('sessions', {
  tokenHash: text().primaryKey(),
  address: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  createdAt: now(),
});

// ---------------------------------------------------------------- uploads

export type BatchStatus = 'ready' | 'signed' | 'submitting' | 'submitted' | 'failed';

/** One uploaded batch of records; written in one transaction with its records, so never half there. */
export const batches = datanetService.table(
  'batches',
  {
    id: uuid().primaryKey(),
    datanetId: bigint({ mode: 'number' }).notNull(),
    contributor: text().notNull(),
    status: text().$type<BatchStatus>().notNull(),
    batchRoot: text().notNull(),
    recordCount: integer().notNull(),
    byteCount: bigint({ mode: 'number' }).notNull(),
    uri: text().notNull(),
    /** Relay state: the contributor's signature and the values it covers. */
    signature: text(),
    signatureNonce: numeric(),
    deadline: bigint({ mode: 'number' }),
    /** The relayer's signed transaction (rebroadcast as-is after a crash) and its hash. */
    rawTransaction: text(),
    txHash: text(),
    contributionId: bigint({ mode: 'number' }),
    error: text(),
    createdAt: now(),
    updatedAt: now(),
  },
  (t) => [index('batches_root_idx').on(t.batchRoot), index('batches_datanet_idx').on(t.datanetId)],
);

/**
 * Records of a batch: the keccak256 of each record and where its bytes sit in a content-addressed
 * blob (a JSONL upload is one blob holding many records; a file is one blob holding one record).
 */
export const batchRecords = datanetService.table(
  'batch_records',
  {
    batchId: uuid().notNull(),
    recordIndex: integer().notNull(),
    recordHash: bytea().notNull(),
    /** Which blob of the batch holds the record (`batch_blobs.blob_index`). */
    blobIndex: integer().notNull(),
    byteOffset: bigint({ mode: 'number' }).notNull(),
    byteLength: integer().notNull(),
    /** 'json' (a JSON record, exported parsed) or 'file' (raw bytes). */
    kind: text().$type<'json' | 'file'>().notNull(),
    contentType: text(),
    /** A file record's name as uploaded (checked: no path separators, never used as a path). */
    fileName: text(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.recordIndex] })],
);

/** The content-addressed blobs a batch's records live in (written with the batch row). */
export const batchBlobs = datanetService.table(
  'batch_blobs',
  {
    batchId: uuid().notNull(),
    blobIndex: integer().notNull(),
    /** SHA-256 of the blob (the blob store key), hex. */
    blobHash: text().notNull(),
    byteCount: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.blobIndex] })],
);

// ---------------------------------------------------------------- chain mirror

export const datanets = datanetService.table(
  'datanets',
  {
    id: bigint({ mode: 'number' }).primaryKey(),
    owner: text().notNull(),
    name: text().notNull(),
    metadataUri: text().notNull(),
    minStake: numeric().notNull(),
    totalStaked: numeric().notNull().default('0'),
    contributionCount: integer().notNull().default(0),
    acceptedCount: integer().notNull().default(0),
    createdBlock: bigint({ mode: 'number' }).notNull(),
    /** The metadata document, when it could be resolved (data: URI or this service's /metadata). */
    metadata: jsonb(),
    /** JSON schema every record must match, from `metadata.schema`. */
    recordSchema: jsonb(),
  },
  (t) => [index('datanets_name_idx').on(sql`lower(${t.name})`)],
);

export const curators = datanetService.table(
  'curators',
  { datanetId: bigint({ mode: 'number' }).notNull(), account: text().notNull() },
  (t) => [primaryKey({ columns: [t.datanetId, t.account] })],
);

export const stakes = datanetService.table(
  'stakes',
  {
    datanetId: bigint({ mode: 'number' }).notNull(),
    account: text().notNull(),
    amount: numeric().notNull().default('0'),
    pendingUnstake: numeric().notNull().default('0'),
    unlockAt: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.datanetId, t.account] })],
);

export type ContributionStatus = 'pending' | 'accepted' | 'rejected' | 'revoked';

export const contributions = datanetService.table(
  'contributions',
  {
    id: bigint({ mode: 'number' }).primaryKey(),
    datanetId: bigint({ mode: 'number' }).notNull(),
    contributor: text().notNull(),
    batchRoot: text().notNull(),
    recordCount: integer().notNull(),
    uri: text().notNull(),
    status: text().$type<ContributionStatus>().notNull(),
    weight: numeric(),
    reviewedBy: text(),
    reason: text(),
    malicious: boolean(),
    submittedBlock: bigint({ mode: 'number' }).notNull(),
    submittedTx: text().notNull(),
  },
  (t) => [index('contributions_datanet_idx').on(t.datanetId, t.status), index('contributions_root_idx').on(t.batchRoot)],
);

/** Every mirrored log, keyed by its sortable checkpoint; the tables above are replayed from it. */
export const chainEvents = datanetService.table(
  'chain_events',
  {
    checkpoint: text().primaryKey(),
    blockNumber: bigint({ mode: 'number' }).notNull(),
    blockHash: text().notNull(),
    txHash: text().notNull(),
    eventName: text().notNull(),
    args: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('chain_events_block_idx').on(t.blockNumber)],
);

export const indexerCursors = datanetService.table('indexer_cursors', {
  name: text().primaryKey(),
  cursor: jsonb().notNull(),
  updatedAt: now(),
});

/** Jobs to enqueue, written in the same transaction as the state change that causes them. */
export const outbox = datanetService.table(
  'outbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    queue: text().notNull(),
    jobId: text().notNull(),
    payload: jsonb().notNull(),
    createdAt: now(),
  },
  (t) => [uniqueIndex('outbox_job_idx').on(t.queue, t.jobId)],
);

export const schema = {
  siweNonces,
  sessions,
  batches,
  batchRecords,
  batchBlobs,
  datanets,
  curators,
  stakes,
  contributions,
  chainEvents,
  indexerCursors,
  outbox,
};
export type DatanetSchema = typeof schema;
