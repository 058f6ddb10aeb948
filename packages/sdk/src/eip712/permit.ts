import { Signature, getAddress } from 'ethers';
import { TypedDataError } from '../errors.js';
import type { TypedDataPayload } from './typed-data.js';

/** ERC-2612 `Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)` */
export const PERMIT_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

export interface PermitMessage {
  owner: string;
  spender: string;
  value: bigint;
  /** `token.nonces(owner)`. */
  nonce: bigint;
  deadline: bigint;
}

export type PermitTypedData = TypedDataPayload<'Permit', PermitMessage>;

export function permitTypedData(parameters: {
  chainId: number | bigint;
  token: string;
  /** The token's EIP-712 name (its `eip712Domain().name`, OpenZeppelin uses the ERC-20 name). */
  tokenName: string;
  /** OpenZeppelin ERC20Permit uses "1". */
  version?: string;
  message: PermitMessage;
}): PermitTypedData {
  const { message } = parameters;
  if (!parameters.tokenName) throw new TypedDataError('tokenName', 'tokenName is required');
  if (message.value < 0n) throw new TypedDataError('value', 'value must be non-negative');
  return {
    domain: {
      name: parameters.tokenName,
      version: parameters.version ?? '1',
      chainId: BigInt(parameters.chainId),
      verifyingContract: getAddress(parameters.token),
    },
    types: PERMIT_TYPES,
    primaryType: 'Permit',
    message: { ...message, owner: getAddress(message.owner), spender: getAddress(message.spender) },
  };
}

/** Splits a 65-byte signature into the `(v, r, s)` that `permit`/`stakeWithPermit` take. */
export function splitSignature(signature: string): { v: number; r: string; s: string } {
  const sig = Signature.from(signature);
  return { v: sig.v, r: sig.r, s: sig.s };
}

/** ERC-5267 `eip712Domain()` reader, so callers never guess a token's domain name or version. */
export async function readEip712Domain(contract: {
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]] | { 1: string; 2: string; 3: bigint; 4: string }>;
}): Promise<{ name: string; version: string; chainId: bigint; verifyingContract: string }> {
  const result = (await contract.eip712Domain()) as unknown as { 1: string; 2: string; 3: bigint; 4: string };
  return { name: result[1], version: result[2], chainId: result[3], verifyingContract: result[4] };
}
