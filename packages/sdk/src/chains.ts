import { JsonRpcProvider, Network } from 'ethers';
import { ChainConfigError } from './errors.js';

export type ChainKind = 'anvil' | 'op-stack';

/** Everything the sdk needs to talk to one chain. */
export interface ChainConfig {
  kind: ChainKind;
  name: string;
  chainId: number;
  rpcUrl: string;
  /** Blocks to wait before a block's logs are delivered by the indexer. */
  confirmations: number;
  /** Depth after which a block is treated as final (reorgs deeper than this are fatal). */
  finalityBlocks: number;
  /** How often providers and the indexer poll, in milliseconds. */
  pollingIntervalMs: number;
}

export const ANVIL_CHAIN_ID = 31337;

function checkRpcUrl(rpcUrl: string): string {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new ChainConfigError('rpcUrl', `rpcUrl ${JSON.stringify(rpcUrl)} is not a URL`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new ChainConfigError('rpcUrl', `rpcUrl must be an http(s) URL (the indexer polls), got ${url.protocol}`);
  }
  return rpcUrl;
}

function checkChainId(chainId: number): number {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new ChainConfigError('chainId', `chainId must be a positive integer, got ${chainId}`);
  }
  return chainId;
}

/** A local anvil node (chain id 31337 unless given): instant blocks, no confirmations. */
export function anvilChain(options: { rpcUrl?: string; chainId?: number; confirmations?: number } = {}): ChainConfig {
  return {
    kind: 'anvil',
    name: 'anvil',
    chainId: checkChainId(options.chainId ?? ANVIL_CHAIN_ID),
    rpcUrl: checkRpcUrl(options.rpcUrl ?? 'http://127.0.0.1:8545'),
    confirmations: options.confirmations ?? 0,
    finalityBlocks: 64,
    pollingIntervalMs: 250,
  };
}

/**
 * An OP Stack L2 reached by RPC URL. Defaults: 2 s blocks; wait 5 blocks; the L2 "finalized" tag
 * trails the head by minutes, so a reorg window of 1,800 blocks (one hour) is kept.
 */
export function opStackChain(options: {
  rpcUrl: string;
  chainId: number;
  name?: string;
  confirmations?: number;
  finalityBlocks?: number;
  pollingIntervalMs?: number;
}): ChainConfig {
  return {
    kind: 'op-stack',
    name: options.name ?? `op-stack-${options.chainId}`,
    chainId: checkChainId(options.chainId),
    rpcUrl: checkRpcUrl(options.rpcUrl),
    confirmations: options.confirmations ?? 5,
    finalityBlocks: options.finalityBlocks ?? 1800,
    pollingIntervalMs: options.pollingIntervalMs ?? 1000,
  };
}

/** The chain config for an RPC URL and chain id as services read them from env (`RPC_URL`, `CHAIN_ID`). */
export function chainConfig(options: { rpcUrl: string; chainId: number; confirmations?: number }): ChainConfig {
  return options.chainId === ANVIL_CHAIN_ID ? anvilChain(options) : opStackChain(options);
}

/**
 * A JSON-RPC provider bound to the configured chain (no network auto-detection round trips).
 * ethers' 250 ms cache of identical reads is off: a service sending transactions back to back
 * must see each new nonce, balance and block number, not the one read a moment before.
 */
export function createProvider(config: ChainConfig): JsonRpcProvider {
  const network = Network.from({ chainId: config.chainId, name: config.name });
  const provider = new JsonRpcProvider(config.rpcUrl, network, {
    staticNetwork: network,
    pollingInterval: config.pollingIntervalMs,
    cacheTimeout: -1,
  });
  return provider;
}

/**
 * The chain config from a service's environment: `RPC_URL` (required), `CHAIN_ID` (default 31337),
 * `CONFIRMATIONS` (optional). Errors name the variable. Call it once at start-up with `process.env`.
 */
export function chainConfigFromEnv(env: Record<string, string | undefined>): ChainConfig {
  const rpcUrl = env.RPC_URL?.trim();
  if (!rpcUrl) throw new ChainConfigError('RPC_URL', 'RPC_URL is required (the chain JSON-RPC endpoint)');
  const integer = (name: string, fallback?: number): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw)) throw new ChainConfigError(name, `${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const chainId = integer('CHAIN_ID', ANVIL_CHAIN_ID)!;
  const confirmations = integer('CONFIRMATIONS');
  try {
    return chainConfig({ rpcUrl, chainId, ...(confirmations === undefined ? {} : { confirmations }) });
  } catch (error) {
    if (error instanceof ChainConfigError) {
      throw new ChainConfigError(error.field === 'rpcUrl' ? 'RPC_URL' : 'CHAIN_ID', error.message.replace(/^rpcUrl/, 'RPC_URL').replace(/^chainId/, 'CHAIN_ID'));
    }
    throw error;
  }
}
