import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config.js';
import type { Db } from './db/database.js';
import type { ApiKeyService } from './services/api-keys.js';
import type { AdapterFileStore } from './services/adapter-files.js';
import type { AuthorizationCache } from './services/authorizations.js';
import type { CreditService } from './services/credit.js';
import type { InferenceDispatcher } from './services/dispatcher.js';
import type { Metrics } from './services/metrics.js';
import type { ModelCatalog } from './services/model-catalog.js';
import type { RateLimiter } from './services/rate-limiter.js';
import type { StageTimings } from './services/stage-timings.js';
import type { UsageRecorder } from './services/usage-recorder.js';

/** Everything the routes use, built once by buildApp. */
export interface GatewayContext {
  config: GatewayConfig;
  db: Db;
  redis: Redis;
  keys: ApiKeyService;
  rateLimiter: RateLimiter;
  catalog: ModelCatalog;
  /** Stored SpendingAuthorizations, cached; shared by credit and the usage recorder. */
  authorizations: AuthorizationCache;
  credit: CreditService;
  dispatcher: InferenceDispatcher;
  usage: UsageRecorder;
  files: AdapterFileStore;
  metrics: Metrics;
  chainId: number;
  escrowAddress?: string;
  /** When set, inference routes record per-stage timings into it (the bench sets it). */
  stageTimings?: StageTimings;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: GatewayContext;
  }
}
