import { getAddress, isHexString } from 'ethers';
import { TypedDataError } from '../errors.js';
import type { TypedDataPayload } from './typed-data.js';

/** `Contribute(uint256 datanetId,bytes32 batchRoot,uint32 recordCount,string uri,address contributor,uint256 nonce,uint256 deadline)` */
export const CONTRIBUTE_TYPES = {
  Contribute: [
    { name: 'datanetId', type: 'uint256' },
    { name: 'batchRoot', type: 'bytes32' },
    { name: 'recordCount', type: 'uint32' },
    { name: 'uri', type: 'string' },
    { name: 'contributor', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

export interface ContributeMessage {
  datanetId: bigint;
  batchRoot: string;
  recordCount: number;
  uri: string;
  contributor: string;
  /** `DatanetRegistry.nonces(contributor)` at signing time. */
  nonce: bigint;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}

export interface ContributeTypedDataParameters {
  chainId: number | bigint;
  /** DatanetRegistry (proxy) address. */
  registry: string;
  message: ContributeMessage;
}

export type ContributeTypedData = TypedDataPayload<'Contribute', ContributeMessage>;

/** EIP-712 payload a contributor signs so a relayer can call `submitContributionFor`. */
export function contributeTypedData({ chainId, registry, message }: ContributeTypedDataParameters): ContributeTypedData {
  if (!isHexString(message.batchRoot, 32)) throw new TypedDataError('batchRoot', 'batchRoot must be a 32-byte hex string');
  if (!Number.isInteger(message.recordCount) || message.recordCount <= 0 || message.recordCount > 0xffffffff) {
    throw new TypedDataError('recordCount', 'recordCount must be an integer in [1, 2^32)');
  }
  if (message.datanetId < 0n || message.nonce < 0n || message.deadline < 0n) {
    throw new TypedDataError('datanetId', 'datanetId, nonce and deadline must be non-negative');
  }
  return {
    domain: { name: 'DatanetRegistry', version: '1', chainId: BigInt(chainId), verifyingContract: getAddress(registry) },
    types: CONTRIBUTE_TYPES,
    primaryType: 'Contribute',
    message: { ...message, batchRoot: message.batchRoot.toLowerCase(), contributor: getAddress(message.contributor) },
  };
}
