import { readFile } from 'node:fs/promises';
import { Wallet, type JsonRpcProvider } from 'ethers';
import {
  chainConfig,
  createProvider,
  getDatanetRegistry,
  getOpenToken,
  parseDeployment,
  type ChainConfig,
  type DatanetRegistry,
  type Deployment,
  type OpenToken,
} from '@openledger/sdk';
import type { DatanetServiceConfig } from './config.js';

/** Everything the service uses to talk to the chain, built once from config. */
export interface ChainContext {
  chain: ChainConfig;
  provider: JsonRpcProvider;
  deployment: Deployment;
  registryAddress: string;
  tokenAddress: string;
  /** Read-only registry client (live role and status checks). */
  registry: DatanetRegistry;
  token: OpenToken;
  /** Relayer wallet (relaying is off without RELAYER_PRIVATE_KEY). */
  relayer?: Wallet;
}

export async function loadChainContext(config: Pick<DatanetServiceConfig, 'rpcUrl' | 'chainId' | 'confirmations' | 'deploymentsFile' | 'relayerPrivateKey' | 'pollingIntervalMs'>, deployment?: Deployment): Promise<ChainContext> {
  const dep = deployment ?? parseDeployment(JSON.parse(await readFile(config.deploymentsFile, 'utf8')), config.deploymentsFile);
  if (dep.chainId !== config.chainId) throw new Error(`DEPLOYMENTS_FILE is for chain ${dep.chainId}, CHAIN_ID is ${config.chainId}`);
  const chain = { ...chainConfig({ rpcUrl: config.rpcUrl, chainId: config.chainId, confirmations: config.confirmations }), pollingIntervalMs: config.pollingIntervalMs };
  const provider = createProvider(chain);
  const registryAddress = dep.contracts.DatanetRegistry;
  if (/^0x0{40}$/.test(registryAddress)) throw new Error(`DEPLOYMENTS_FILE ${config.deploymentsFile} has no DatanetRegistry address`);
  return {
    chain,
    provider,
    deployment: dep,
    registryAddress,
    tokenAddress: dep.contracts.OpenToken,
    registry: getDatanetRegistry(registryAddress, provider),
    token: getOpenToken(dep.contracts.OpenToken, provider),
    relayer: config.relayerPrivateKey ? new Wallet(config.relayerPrivateKey, provider) : undefined,
  };
}
