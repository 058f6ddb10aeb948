import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, envHexKey, envInt, envOptional, envString, parseCorsOrigins } from '@openledger/service-kit';

/** Everything the service reads from the environment, validated once at start-up. */
export interface DatanetServiceConfig {
  port: number;
  host: string;
  /** Postgres URL; PGlite in `${dataDir}/db` when absent. */
  databaseUrl?: string;
  dataDir: string;
  redisUrl: string;
  rpcUrl: string;
  chainId: number;
  /** Path to `packages/contracts/deployments/<chainId>.json`. */
  deploymentsFile: string;
  confirmations: number;
  /** Base URL clients reach this service at (metadata and batch URIs, export URLs). */
  publicUrl: string;
  /** The domain SIWE messages must name (host[:port] of `publicUrl` unless given). */
  siweDomain: string;
  /** Relayer key that sends `submitContributionFor`; relaying is off without it. */
  relayerPrivateKey?: `0x${string}`;
  limits: UploadLimits;
  sessionTtlSeconds: number;
  nonceTtlSeconds: number;
  /** Seconds a contributor's signature stays valid (the EIP-712 `deadline`). */
  signatureTtlSeconds: number;
  logLevel: string;
  /** CORS_ORIGINS: origins a browser may call this service from (the dashboard's), or `*`. */
  corsOrigins: string[];
  /** BullMQ key prefix (consumers of the shared queues use the same one; tests use their own). */
  queuePrefix: string;
  /** How long a relay attempt waits for its transaction to be mined before retrying (ms). */
  relayReceiptTimeoutMs: number;
  /** Indexer polling interval in ms. */
  pollingIntervalMs: number;
}

export interface UploadLimits {
  /** Largest upload body in bytes. */
  maxUploadBytes: number;
  /** Most records in one batch. */
  maxRecords: number;
  /** Longest single record (one JSONL line, or one file) in bytes. */
  maxRecordBytes: number;
  /** Most files in one multipart upload. */
  maxFiles: number;
}

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export function loadConfig(env: Record<string, string | undefined> = process.env): DatanetServiceConfig {
  const port = envInt(env, 'PORT', 8081, { min: 0, max: 65535 });
  const host = envString(env, 'HOST', '127.0.0.1');
  const chainId = envInt(env, 'CHAIN_ID', 31337, { min: 1 });
  const publicUrl = envString(env, 'PUBLIC_URL', `http://${host}:${port}`).replace(/\/+$/, '');
  let publicHost: string;
  try {
    publicHost = new URL(publicUrl).host;
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute URL, got "${publicUrl}"`);
  }
  return {
    port,
    host,
    databaseUrl: envOptional(env, 'DATABASE_URL'),
    dataDir: resolve(envString(env, 'DATA_DIR', resolve(REPO_ROOT, '.data', 'datanet-service'))),
    redisUrl: envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    rpcUrl: envString(env, 'RPC_URL', 'http://127.0.0.1:8545'),
    chainId,
    deploymentsFile: resolve(envString(env, 'DEPLOYMENTS_FILE', resolve(REPO_ROOT, 'packages', 'contracts', 'deployments', `${chainId}.json`))),
    confirmations: envInt(env, 'CONFIRMATIONS', 0, { min: 0, max: 1000 }),
    publicUrl,
    siweDomain: envString(env, 'SIWE_DOMAIN', publicHost),
    relayerPrivateKey: envHexKey(env, 'RELAYER_PRIVATE_KEY'),
    limits: {
      maxUploadBytes: envInt(env, 'MAX_UPLOAD_BYTES', 2 * 1024 ** 3, { min: 1 }),
      maxRecords: envInt(env, 'MAX_RECORDS', 5_000_000, { min: 1, max: 0xffffffff }),
      maxRecordBytes: envInt(env, 'MAX_RECORD_BYTES', 1024 * 1024, { min: 1 }),
      maxFiles: envInt(env, 'MAX_FILES', 1000, { min: 1 }),
    },
    sessionTtlSeconds: envInt(env, 'SESSION_TTL_SECONDS', 24 * 3600, { min: 60 }),
    nonceTtlSeconds: envInt(env, 'SIWE_NONCE_TTL_SECONDS', 600, { min: 10 }),
    signatureTtlSeconds: envInt(env, 'SIGNATURE_TTL_SECONDS', 3600, { min: 60 }),
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
    corsOrigins: parseCorsOrigins(envOptional(env, 'CORS_ORIGINS')),
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'bull'),
    relayReceiptTimeoutMs: envInt(env, 'RELAY_RECEIPT_TIMEOUT_MS', 120_000, { min: 100 }),
    pollingIntervalMs: envInt(env, 'POLLING_INTERVAL_MS', 1000, { min: 10 }),
  };
}
