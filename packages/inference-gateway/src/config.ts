import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, envInt, envOptional, envString, parseCorsOrigins } from '@openledger/service-kit';
import type { S3SourceOptions } from './engine/runtime/s3-source.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export interface EngineConfig {
  /** On-chain base model id this engine serves. */
  baseModelId: string;
  baseModelPath: string;
  contexts: number;
  contextSize: number;
  threads: number;
  adapterMemoryBytes: number;
  maxAdapterBytes: number;
  pinnedAdapters: string[];
  /** Where `s3://bucket/key` adapter URIs are read from (ADAPTER_S3_*; AWS and its default credentials otherwise). */
  s3: S3SourceOptions;
  /**
   * ADAPTER_FETCH_PRIVATE_HOSTS: hosts an http(s) adapter URL may name although they resolve to loopback
   * or private addresses; PUBLIC_URL's host is always among them. Link-local (metadata) is never fetched.
   */
  allowPrivateHosts: string[];
  /** When set, requests are forwarded to this OpenAI-compatible server (vLLM with LoRA) instead. */
  externalUrl?: string;
  externalModelName?: string;
}

export interface ChainConfig {
  rpcUrl: string;
  chainId: number;
  deploymentsFile: string;
  confirmations: number;
}

export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: string;
  /** CORS_ORIGINS: origins a browser may call the gateway from (the dashboard's), or `*`. */
  corsOrigins: string[];
  databaseUrl?: string;
  dataDir: string;
  redisUrl: string;
  /** Public base URL (uploaded adapter files are addressed under it). */
  publicUrl: string;
  /** ATTRIBUTION_URL: the attribution worker's API, for retrieval requests (`retrieval` in a completion body). */
  attributionUrl?: string;
  siweDomain: string;
  /** Address the gateway collects fees as (FeeEscrow operator); SpendingAuthorizations must name it. */
  operatorAddress: string;
  chain?: ChainConfig;
  engine: EngineConfig;
  /** Engine workers this process runs (0: API only, workers elsewhere). */
  engineWorkers: number;
  /** Hand requests straight to this process's engine workers when one has a free context (fast path); else BullMQ. */
  localDispatch: boolean;
  rateLimitPerMinute: number;
  maxQueueDepth: number;
  requestTimeoutMs: number;
  maxTokensLimit: number;
  maxUploadBytes: number;
  /** Prefix of BullMQ queue names (tests isolate themselves with it). */
  queuePrefix: string;
}

/** Reads and validates the gateway's configuration once, at start-up. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const port = envInt(env, 'PORT', 8080, { min: 0, max: 65535 });
  const rpcUrl = envOptional(env, 'RPC_URL');
  const operatorAddress = envString(env, 'OPERATOR_ADDRESS', '0x0000000000000000000000000000000000000000');
  if (!/^0x[0-9a-fA-F]{40}$/.test(operatorAddress)) throw new ConfigError('OPERATOR_ADDRESS', 'must be a 0x-prefixed 20-byte address');
  const publicUrl = envString(env, 'PUBLIC_URL', `http://127.0.0.1:${port}`);
  if (!URL.canParse(publicUrl)) throw new ConfigError('PUBLIC_URL', `must be a URL, got "${publicUrl}"`);
  const mb = (name: string, fallback: number) => envInt(env, name, fallback, { min: 1 }) * 1024 * 1024;
  return {
    host: envString(env, 'HOST', '127.0.0.1'),
    port,
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
    corsOrigins: parseCorsOrigins(envOptional(env, 'CORS_ORIGINS')),
    databaseUrl: envOptional(env, 'DATABASE_URL'),
    dataDir: envString(env, 'DATA_DIR', path.join(REPO_ROOT, '.data', 'inference-gateway')),
    redisUrl: envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    publicUrl,
    attributionUrl: envOptional(env, 'ATTRIBUTION_URL'),
    siweDomain: envString(env, 'SIWE_DOMAIN', `127.0.0.1:${port}`),
    operatorAddress,
    chain: rpcUrl
      ? {
          rpcUrl,
          chainId: envInt(env, 'CHAIN_ID', 31337, { min: 1 }),
          deploymentsFile: envString(env, 'DEPLOYMENTS_FILE', path.join(REPO_ROOT, 'packages', 'contracts', 'deployments', `${envInt(env, 'CHAIN_ID', 31337)}.json`)),
          confirmations: envInt(env, 'CONFIRMATIONS', 0, { min: 0 }),
        }
      : undefined,
    engine: {
      baseModelId: envString(env, 'BASE_MODEL_ID', '1'),
      baseModelPath: envString(env, 'BASE_MODEL_PATH', path.join(REPO_ROOT, '.data', 'models', 'base.gguf')),
      contexts: envInt(env, 'ENGINE_CONTEXTS', 2, { min: 1, max: 64 }),
      contextSize: envInt(env, 'ENGINE_CONTEXT_SIZE', 1024, { min: 64 }),
      threads: envInt(env, 'ENGINE_THREADS', 1, { min: 1 }),
      adapterMemoryBytes: mb('ADAPTER_MEMORY_MB', 2048),
      maxAdapterBytes: mb('MAX_ADAPTER_MB', 512),
      pinnedAdapters: (envOptional(env, 'PINNED_ADAPTERS') ?? '').split(',').filter(Boolean),
      s3: loadS3Config(env),
      allowPrivateHosts: privateHosts(env, publicUrl),
      externalUrl: envOptional(env, 'EXTERNAL_ENGINE_URL'),
      externalModelName: envOptional(env, 'EXTERNAL_ENGINE_BASE_MODEL'),
    },
    engineWorkers: envInt(env, 'ENGINE_WORKERS', 1, { min: 0, max: 64 }),
    localDispatch: envInt(env, 'LOCAL_DISPATCH', 1, { min: 0, max: 1 }) === 1,
    rateLimitPerMinute: envInt(env, 'RATE_LIMIT_PER_MINUTE', 120, { min: 1 }),
    maxQueueDepth: envInt(env, 'MAX_QUEUE_DEPTH', 64, { min: 1 }),
    requestTimeoutMs: envInt(env, 'REQUEST_TIMEOUT_MS', 120_000, { min: 100 }),
    maxTokensLimit: envInt(env, 'MAX_TOKENS_LIMIT', 2048, { min: 1 }),
    maxUploadBytes: mb('MAX_UPLOAD_MB', 512),
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'bull'),
  };
}

function privateHosts(env: Record<string, string | undefined>, publicUrl: string): string[] {
  const listed = (envOptional(env, 'ADAPTER_FETCH_PRIVATE_HOSTS') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const h of listed) if (/[/:\s]/.test(h) && !/^[0-9a-f:]+$/.test(h)) throw new ConfigError('ADAPTER_FETCH_PRIVATE_HOSTS', `"${h}" is not a host name or IP address (no scheme, port or path)`);
  const own = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return [...new Set([own, ...listed])];
}

function loadS3Config(env: Record<string, string | undefined>): S3SourceOptions {
  const endpoint = envOptional(env, 'ADAPTER_S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw new ConfigError('ADAPTER_S3_ENDPOINT', 'must be an http:// or https:// URL');
  const accessKeyId = envOptional(env, 'ADAPTER_S3_ACCESS_KEY_ID');
  const secretAccessKey = envOptional(env, 'ADAPTER_S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(accessKeyId === undefined ? 'ADAPTER_S3_ACCESS_KEY_ID' : 'ADAPTER_S3_SECRET_ACCESS_KEY', 'set both ADAPTER_S3_ACCESS_KEY_ID and ADAPTER_S3_SECRET_ACCESS_KEY, or neither (AWS default credentials)');
  }
  return {
    endpoint,
    region: envString(env, 'ADAPTER_S3_REGION', env.AWS_REGION ?? 'us-east-1'),
    // S3-compatible stores behind a custom endpoint mostly serve path-style URLs
    forcePathStyle: envInt(env, 'ADAPTER_S3_FORCE_PATH_STYLE', endpoint ? 1 : 0, { min: 0, max: 1 }) === 1,
    accessKeyId,
    secretAccessKey,
  };
}

export const usesChain = (c: GatewayConfig): c is GatewayConfig & { chain: ChainConfig } => c.chain !== undefined;
