import { TypedDataEncoder, verifyTypedData, type TypedDataDomain, type TypedDataField } from 'ethers';

/** Minimal signer shape (an ethers `Signer` or `Wallet`). */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** An EIP-712 payload: what a wallet signs with `eth_signTypedData_v4`. */
export interface TypedDataPayload<P extends string, M> {
  domain: TypedDataDomain & { name: string; version: string; chainId: bigint; verifyingContract: string };
  types: Record<P, readonly TypedDataField[]>;
  primaryType: P;
  message: M;
}

/** JSON form (bigint → decimal string, `EIP712Domain` type included) for REST responses and wallets. */
export interface TypedDataJson {
  domain: { name: string; version: string; chainId: string; verifyingContract: string };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, string | number | boolean>;
}

const EIP712_DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];

function mutableTypes<P extends string>(types: Record<P, readonly TypedDataField[]>): Record<string, TypedDataField[]> {
  const out: Record<string, TypedDataField[]> = {};
  for (const [key, fields] of Object.entries(types) as [string, readonly TypedDataField[]][]) out[key] = [...fields];
  return out;
}

/** The EIP-712 digest the contract checks (`_hashTypedDataV4`). */
export function hashTypedDataPayload<P extends string, M>(payload: TypedDataPayload<P, M>): string {
  return TypedDataEncoder.hash(payload.domain, mutableTypes(payload.types), payload.message as Record<string, unknown>);
}

export function signTypedDataPayload<P extends string, M>(signer: TypedDataSigner, payload: TypedDataPayload<P, M>): Promise<string> {
  return signer.signTypedData(payload.domain, mutableTypes(payload.types), payload.message as Record<string, unknown>);
}

/** The address that signed `payload` (throws on a malformed signature). */
export function recoverTypedDataSigner<P extends string, M>(payload: TypedDataPayload<P, M>, signature: string): string {
  return verifyTypedData(payload.domain, mutableTypes(payload.types), payload.message as Record<string, unknown>, signature);
}

function jsonValue(value: unknown): string | number | boolean {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`cannot serialize typed-data value ${String(value)}`);
}

export function typedDataToJson<P extends string, M>(payload: TypedDataPayload<P, M>): TypedDataJson {
  const message: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(payload.message as Record<string, unknown>)) message[key] = jsonValue(value);
  return {
    domain: {
      name: payload.domain.name,
      version: payload.domain.version,
      chainId: payload.domain.chainId.toString(),
      verifyingContract: payload.domain.verifyingContract,
    },
    types: { EIP712Domain: EIP712_DOMAIN_TYPE, ...mutableTypes(payload.types) },
    primaryType: payload.primaryType,
    message,
  };
}
