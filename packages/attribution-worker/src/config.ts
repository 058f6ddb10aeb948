import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, envBool, envHexKey, envInt, envOptional, envString, parseCorsOrigins } from '@openledger/service-kit';
import { DEFAULT_SEMANTIC_PARAMS, type SemanticParams } from './semantic/semantic-attribution.js';
import { BPS, DEFAULT_RETRIEVAL_SHARE_BPS } from './retrieval.js';
import { DEFAULT_SPAN_PARAMS, type SpanParams } from './span/attribute.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export interface AttributionConfig {
  port: number;
  host: string;
  logLevel: string;
  /** CORS_ORIGINS: origins a browser may call the proof API from (the dashboard's), or `*`. */
  corsOrigins: string[];
  databaseUrl?: string;
  dataDir: string;
  redisUrl: string;
  rpcUrl?: string;
  chainId?: number;
  deploymentsFile?: string;
  confirmations: number;
  /** Collects fees: the operator named in callers' SpendingAuthorizations. */
  operatorKey?: `0x${string}`;
  /** Posts roots (SETTLER_ROLE); defaults to the operator key. */
  settlerKey?: `0x${string}`;
  epochSeconds: number;
  publicUrl: string;
  span: SpanParams;
  buildThreads: number;
  concurrency: number;
  /** Local ONNX feature-extraction model directory; semantic attribution and retrieval are off without it. */
  embeddingModelDir?: string;
  embedBatch: number;
  semantic: SemanticParams;
  /** RETRIEVAL_SHARE_BPS: share of an inference's contributors' part paid to its cited retrievals (0..10000). */
  retrievalShareBps: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AttributionConfig {
  const port = envInt(env, 'PORT', 8082, { min: 0, max: 65535 });
  const host = envString(env, 'HOST', '127.0.0.1');
  const operatorKey = envHexKey(env, 'OPERATOR_PRIVATE_KEY');
  const rpcUrl = envOptional(env, 'RPC_URL');
  const deploymentsFile = envOptional(env, 'DEPLOYMENTS_FILE');
  if (rpcUrl && !deploymentsFile) throw new ConfigError('DEPLOYMENTS_FILE', 'is required when RPC_URL is set');
  if (rpcUrl && !operatorKey) throw new ConfigError('OPERATOR_PRIVATE_KEY', 'is required when RPC_URL is set (the fee collector)');
  const chainIdRaw = envOptional(env, 'CHAIN_ID');
  return {
    port,
    host,
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
    corsOrigins: parseCorsOrigins(envOptional(env, 'CORS_ORIGINS')),
    databaseUrl: envOptional(env, 'DATABASE_URL'),
    dataDir: resolve(envString(env, 'DATA_DIR', resolve(REPO_ROOT, '.data', 'attribution-worker'))),
    redisUrl: envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    rpcUrl,
    chainId: chainIdRaw === undefined ? undefined : envInt(env, 'CHAIN_ID', 0, { min: 1 }),
    deploymentsFile,
    confirmations: envInt(env, 'CONFIRMATIONS', 1, { min: 1, max: 64 }),
    operatorKey,
    settlerKey: envHexKey(env, 'SETTLER_PRIVATE_KEY') ?? operatorKey,
    epochSeconds: envInt(env, 'EPOCH_SECONDS', 3600, { min: 1 }),
    publicUrl: envString(env, 'PUBLIC_URL', `http://${host}:${port}`),
    span: {
      minSpanTokens: envInt(env, 'MIN_SPAN_TOKENS', DEFAULT_SPAN_PARAMS.minSpanTokens, { min: 1, max: 1024 }),
      maxOccurrences: envInt(env, 'MAX_SPAN_OCCURRENCES', DEFAULT_SPAN_PARAMS.maxOccurrences, { min: 1, max: 1_000_000 }),
      includePrompt: envBool(env, 'ATTRIBUTE_PROMPT', DEFAULT_SPAN_PARAMS.includePrompt),
      maxQueryTokens: envInt(env, 'MAX_QUERY_TOKENS', DEFAULT_SPAN_PARAMS.maxQueryTokens, { min: 1, max: 1 << 20 }),
    },
    buildThreads: envInt(env, 'INDEX_BUILD_THREADS', 1, { min: 0, max: 64 }),
    retrievalShareBps: envInt(env, 'RETRIEVAL_SHARE_BPS', DEFAULT_RETRIEVAL_SHARE_BPS, { min: 0, max: BPS }),
    concurrency: envInt(env, 'USAGE_CONCURRENCY', 4, { min: 1, max: 64 }),
    embeddingModelDir: envOptional(env, 'EMBEDDING_MODEL_DIR'),
    embedBatch: envInt(env, 'EMBED_BATCH', 32, { min: 1, max: 1024 }),
    semantic: {
      topK: envInt(env, 'SEMANTIC_TOP_K', DEFAULT_SEMANTIC_PARAMS.topK, { min: 1, max: 100 }),
      minSimilarityPpm: envInt(env, 'SEMANTIC_MIN_SIMILARITY_PPM', DEFAULT_SEMANTIC_PARAMS.minSimilarityPpm, { min: 0, max: 1_000_000 }),
    },
  };
}
