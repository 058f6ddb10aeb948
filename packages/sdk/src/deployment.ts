import { getAddress, isAddress } from 'ethers';
import { DeploymentError } from './errors.js';

/** Names of the contracts every deployment file lists, in deploy order. */
export const CONTRACT_NAMES = [
  'OpenToken',
  'GOpenToken',
  'OpenTimelock',
  'OpenGovernor',
  'TokenVesting',
  'DatanetRegistry',
  'ModelRegistry',
  'FeeEscrow',
  'AttributionSettlement',
] as const;

export type ContractName = (typeof CONTRACT_NAMES)[number];

/** A checksummed `0x` address. */
export type Address = `0x${string}`;

export type DeploymentContracts = Record<ContractName, Address> & Record<string, Address>;

/**
 * What `script/Deploy.s.sol` writes to `packages/contracts/deployments/<chainId>.json`.
 * Fields beyond the required ones are kept as they are.
 */
export interface Deployment {
  chainId: number;
  /** First block to index from (the block of the first deployment transaction). */
  startBlock: number;
  contracts: DeploymentContracts;
  [extra: string]: unknown;
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

function fail(source: string, field: string, problem: string): never {
  throw new DeploymentError(`deployment ${source}: field "${field}" ${problem}`, field);
}

function nonNegativeInteger(value: unknown, source: string, field: string): number {
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(source, field, value === undefined ? 'is missing' : `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Validates a parsed deployment file and returns it with checksummed addresses.
 * Throws {@link DeploymentError} naming the first missing or malformed field.
 */
export function parseDeployment(json: unknown, source = '<input>'): Deployment {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DeploymentError(`deployment ${source}: expected a JSON object`);
  }
  const record = json as Record<string, unknown>;
  const chainId = nonNegativeInteger(record.chainId, source, 'chainId');
  if (chainId === 0) fail(source, 'chainId', 'must not be 0');
  const startBlock = nonNegativeInteger(record.startBlock, source, 'startBlock');
  const rawContracts = record.contracts;
  if (typeof rawContracts !== 'object' || rawContracts === null || Array.isArray(rawContracts)) {
    fail(source, 'contracts', rawContracts === undefined ? 'is missing' : 'must be an object of name → address');
  }
  const contracts: Record<string, Address> = {};
  for (const [name, value] of Object.entries(rawContracts as Record<string, unknown>)) {
    if (typeof value !== 'string' || !isAddress(value)) {
      fail(source, `contracts.${name}`, `must be an address, got ${JSON.stringify(value)}`);
    }
    contracts[name] = getAddress(value) as Address;
  }
  for (const name of CONTRACT_NAMES) {
    if (!(name in contracts)) fail(source, `contracts.${name}`, 'is missing');
    if (contracts[name] === ZERO_ADDRESS) fail(source, `contracts.${name}`, 'is the zero address (not deployed)');
  }
  return { ...record, chainId, startBlock, contracts: contracts as DeploymentContracts };
}
