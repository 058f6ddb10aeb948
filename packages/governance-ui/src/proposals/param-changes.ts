import { contractAbis, type ContractName, type Deployment } from '@openledger/sdk';
import { Interface, getAddress, id, isAddress, isHexString, type InterfaceAbi } from 'ethers';

/** One action of a proposal: the Governor's `targets[i]`, `values[i]`, `calldatas[i]`. */
export interface ProposalAction {
  target: string;
  value: bigint;
  calldata: string;
}

export class ProposalInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProposalInputError';
  }
}

export const SETTLER_ROLE = id('SETTLER_ROLE');
const ZERO = '0x0000000000000000000000000000000000000000';

function encode(deployment: Deployment, name: ContractName, fn: string, args: unknown[]): ProposalAction {
  const target = deployment.contracts[name];
  if (!target || target === ZERO) throw new ProposalInputError('target', `${name} is not deployed on this chain`);
  const calldata = new Interface(contractAbis[name] as unknown as InterfaceAbi).encodeFunctionData(fn, args);
  return { target, value: 0n, calldata };
}

function uint(text: string, field: string, max: bigint): bigint {
  const clean = text.trim();
  if (!/^\d+$/.test(clean)) throw new ProposalInputError(field, `${field} must be a whole number`);
  const value = BigInt(clean);
  if (value > max) throw new ProposalInputError(field, `${field} must be at most ${max}`);
  return value;
}

function bps(text: string, field: string): number {
  return Number(uint(text, field, 10_000n));
}

function address(text: string, field: string): string {
  if (!isAddress(text.trim())) throw new ProposalInputError(field, `${field} must be a 0x address`);
  return getAddress(text.trim());
}

export interface FeeSharesInput {
  protocolBps: string;
  modelOwnerBps: string;
  contributorsBps: string;
  curatorsBps: string;
}

/** FeeEscrow.setFeeShares: the four shares in basis points must add up to 10,000. */
export function feeSharesAction(deployment: Deployment, input: FeeSharesInput): ProposalAction {
  const shares = {
    protocolBps: bps(input.protocolBps, 'protocolBps'),
    modelOwnerBps: bps(input.modelOwnerBps, 'modelOwnerBps'),
    contributorsBps: bps(input.contributorsBps, 'contributorsBps'),
    curatorsBps: bps(input.curatorsBps, 'curatorsBps'),
  };
  const sum = shares.protocolBps + shares.modelOwnerBps + shares.contributorsBps + shares.curatorsBps;
  if (sum !== 10_000) throw new ProposalInputError('protocolBps', `the shares add up to ${sum} bps; they must add up to 10000`);
  return encode(deployment, 'FeeEscrow', 'setFeeShares', [shares]);
}

/** DatanetRegistry.updateDatanet: a new minimum stake (wei) for one datanet, keeping its metadata URI. */
export function minStakeAction(deployment: Deployment, input: { datanetId: string; minStakeWei: bigint; metadataURI: string }): ProposalAction {
  const datanetId = uint(input.datanetId, 'datanetId', 2n ** 256n - 1n);
  if (input.minStakeWei < 0n || input.minStakeWei >= 2n ** 96n) throw new ProposalInputError('minStake', 'minStake does not fit in uint96');
  return encode(deployment, 'DatanetRegistry', 'updateDatanet', [datanetId, input.metadataURI, input.minStakeWei]);
}

/** DatanetRegistry.setSlashParameters. */
export function slashShareAction(deployment: Deployment, input: { slashShareBps: string; slashToCurator: boolean; treasury: string }): ProposalAction {
  return encode(deployment, 'DatanetRegistry', 'setSlashParameters', [
    bps(input.slashShareBps, 'slashShareBps'),
    input.slashToCurator,
    address(input.treasury, 'treasury'),
  ]);
}

/** AttributionSettlement.setChallengeWindow (seconds). */
export function challengeWindowAction(deployment: Deployment, input: { seconds: string }): ProposalAction {
  const seconds = uint(input.seconds, 'seconds', 2n ** 64n - 1n);
  if (seconds === 0n) throw new ProposalInputError('seconds', 'seconds must be more than 0');
  return encode(deployment, 'AttributionSettlement', 'setChallengeWindow', [seconds]);
}

/** AttributionSettlement: grant SETTLER_ROLE to the new settler and (optionally) revoke the old one. */
export function settlerActions(deployment: Deployment, input: { newSettler: string; oldSettler?: string }): ProposalAction[] {
  const actions = [encode(deployment, 'AttributionSettlement', 'grantRole', [SETTLER_ROLE, address(input.newSettler, 'newSettler')])];
  if (input.oldSettler && input.oldSettler.trim()) {
    actions.push(encode(deployment, 'AttributionSettlement', 'revokeRole', [SETTLER_ROLE, address(input.oldSettler, 'oldSettler')]));
  }
  return actions;
}

/** A raw action: any target, ETH value in wei, and hex calldata. */
export function rawAction(input: { target: string; value: string; calldata: string }): ProposalAction {
  const calldata = input.calldata.trim() || '0x';
  if (!isHexString(calldata) || calldata.length % 2 !== 0) throw new ProposalInputError('calldata', 'calldata must be 0x-prefixed hex with whole bytes');
  if (calldata !== '0x' && calldata.length < 10) throw new ProposalInputError('calldata', 'calldata must start with a 4-byte function selector');
  return { target: address(input.target, 'target'), value: uint(input.value || '0', 'value', 2n ** 256n - 1n), calldata };
}
