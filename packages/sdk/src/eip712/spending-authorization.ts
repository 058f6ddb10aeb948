import { getAddress } from 'ethers';
import { TypedDataError } from '../errors.js';
import type { TypedDataPayload } from './typed-data.js';

/** `SpendingAuthorization(address payer,address operator,uint256 cap,uint64 expiry)` */
export const SPENDING_AUTHORIZATION_TYPES = {
  SpendingAuthorization: [
    { name: 'payer', type: 'address' },
    { name: 'operator', type: 'address' },
    { name: 'cap', type: 'uint256' },
    { name: 'expiry', type: 'uint64' },
  ],
} as const;

/** Cumulative spending cap a payer grants an operator (the gateway) on FeeEscrow. */
export interface SpendingAuthorization {
  payer: string;
  operator: string;
  /** Cumulative cap in OPEN wei over everything `operator` ever collects from `payer`. */
  cap: bigint;
  /** Unix seconds. */
  expiry: bigint;
}

export type SpendingAuthorizationTypedData = TypedDataPayload<'SpendingAuthorization', SpendingAuthorization>;

export function spendingAuthorizationTypedData(parameters: {
  chainId: number | bigint;
  /** FeeEscrow (proxy) address. */
  escrow: string;
  message: SpendingAuthorization;
}): SpendingAuthorizationTypedData {
  const { message } = parameters;
  if (message.cap < 0n) throw new TypedDataError('cap', 'cap must be non-negative');
  if (message.expiry < 0n || message.expiry >= 1n << 64n) throw new TypedDataError('expiry', 'expiry must fit in uint64');
  return {
    domain: {
      name: 'FeeEscrow',
      version: '1',
      chainId: BigInt(parameters.chainId),
      verifyingContract: getAddress(parameters.escrow),
    },
    types: SPENDING_AUTHORIZATION_TYPES,
    primaryType: 'SpendingAuthorization',
    message: { ...message, payer: getAddress(message.payer), operator: getAddress(message.operator) },
  };
}
