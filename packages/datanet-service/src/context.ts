import type { Queue } from 'bullmq';
import type { RecordHasher } from '@openledger/sdk';
import type { SessionService } from './auth/sessions.js';
import type { ChainContext } from './chain.js';
import type { DatanetServiceConfig } from './config.js';
import type { ServiceDatabase } from './db/database.js';
import type { MetadataResolver } from './mirror/metadata.js';
import type { BlobStore } from './store/blob-store.js';
import type { RecordValidatorCache } from './upload/schema-validator.js';

/** What the routes share; built once by buildApp and decorated on the Fastify instance as `ctx`. */
export interface ServiceContext {
  config: DatanetServiceConfig;
  database: ServiceDatabase;
  chain: ChainContext;
  sessions: SessionService;
  store: BlobStore;
  hasher: RecordHasher;
  validators: RecordValidatorCache;
  resolveMetadata: MetadataResolver;
  relayQueue: Queue;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: ServiceContext;
  }
}
