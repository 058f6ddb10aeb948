import { Contract, type ContractRunner, type InterfaceAbi } from 'ethers';
import type { ContractName, Deployment } from './deployment.js';
import { abis } from './generated/abis.js';
import type * as Types from './generated/types/index.js';

/** The typed ethers v6 client (typechain types of the generated ABI) of each deployed contract. */
export interface ContractTypes {
  OpenToken: Types.OpenToken;
  GOpenToken: Types.GOpenToken;
  OpenTimelock: Types.OpenTimelock;
  OpenGovernor: Types.OpenGovernor;
  TokenVesting: Types.TokenVesting;
  DatanetRegistry: Types.DatanetRegistry;
  ModelRegistry: Types.ModelRegistry;
  FeeEscrow: Types.FeeEscrow;
  AttributionSettlement: Types.AttributionSettlement;
}

/** ABI of each deployed contract (the generated `as const` ABI). */
export const contractAbis = {
  OpenToken: abis.OpenToken,
  GOpenToken: abis.GOpenToken,
  OpenTimelock: abis.OpenTimelock,
  OpenGovernor: abis.OpenGovernor,
  TokenVesting: abis.TokenVesting,
  DatanetRegistry: abis.DatanetRegistry,
  ModelRegistry: abis.ModelRegistry,
  FeeEscrow: abis.FeeEscrow,
  AttributionSettlement: abis.AttributionSettlement,
} as const satisfies Record<ContractName, readonly unknown[]>;

/** A typed client for `name` at `address`; `runner` is a provider (reads) or signer (writes). */
export function getContract<N extends ContractName>(name: N, address: string, runner?: ContractRunner | null): ContractTypes[N] {
  return new Contract(address, contractAbis[name] as unknown as InterfaceAbi, runner ?? null) as unknown as ContractTypes[N];
}

export type DeployedContracts = { [N in ContractName]: ContractTypes[N] };

/** Typed clients for every contract of a deployment. */
export function connectDeployment(deployment: Deployment, runner?: ContractRunner | null): DeployedContracts {
  const out = {} as Record<ContractName, unknown>;
  for (const name of Object.keys(contractAbis) as ContractName[]) out[name] = getContract(name, deployment.contracts[name], runner);
  return out as DeployedContracts;
}

type Getter<N extends ContractName> = (address: string, runner?: ContractRunner | null) => ContractTypes[N];
const getter =
  <N extends ContractName>(name: N): Getter<N> =>
  (address, runner) =>
    getContract(name, address, runner);

export const getOpenToken = getter('OpenToken');
export const getGOpenToken = getter('GOpenToken');
export const getOpenTimelock = getter('OpenTimelock');
export const getOpenGovernor = getter('OpenGovernor');
export const getTokenVesting = getter('TokenVesting');
export const getDatanetRegistry = getter('DatanetRegistry');
export const getModelRegistry = getter('ModelRegistry');
export const getFeeEscrow = getter('FeeEscrow');
export const getAttributionSettlement = getter('AttributionSettlement');
