import { Type } from 'typebox';
import { AddressString, Bytes32String, WeiString } from '@openledger/service-kit';

export const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'on-chain id' }) });
export const UuidParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

/** An unsigned transaction for the caller's wallet to sign and send. */
export const UnsignedTransaction = Type.Object({
  to: AddressString,
  data: Type.String({ pattern: '^0x[0-9a-fA-F]*$' }),
  value: Type.String(),
  chainId: Type.Integer(),
  description: Type.String(),
});

export const TypedDataJsonSchema = Type.Object({
  domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.String(), verifyingContract: AddressString }),
  types: Type.Record(Type.String(), Type.Array(Type.Object({ name: Type.String(), type: Type.String() }))),
  primaryType: Type.String(),
  message: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

export const Datanet = Type.Object({
  id: Type.String(),
  owner: AddressString,
  name: Type.String(),
  metadataUri: Type.String(),
  minStake: WeiString,
  totalStaked: WeiString,
  contributionCount: Type.Integer(),
  acceptedCount: Type.Integer(),
  curators: Type.Array(AddressString),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  recordSchema: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

export const Batch = Type.Object({
  batchId: Type.String(),
  datanetId: Type.String(),
  contributor: AddressString,
  status: Type.String(),
  batchRoot: Bytes32String,
  recordCount: Type.Integer(),
  byteCount: Type.Integer(),
  uri: Type.String(),
  contributionId: Type.Union([Type.String(), Type.Null()]),
  contributionStatus: Type.Union([Type.String(), Type.Null()]),
  txHash: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const Contribution = Type.Object({
  id: Type.String(),
  datanetId: Type.String(),
  contributor: AddressString,
  batchRoot: Bytes32String,
  recordCount: Type.Integer(),
  uri: Type.String(),
  status: Type.String(),
  weight: Type.Union([Type.String(), Type.Null()]),
  reviewedBy: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  batchId: Type.Union([Type.String(), Type.Null()]),
});

export const RecordItem = Type.Object({
  index: Type.Integer(),
  recordHash: Bytes32String,
  kind: Type.String(),
  record: Type.Unknown(),
  contentType: Type.Union([Type.String(), Type.Null()]),
  fileName: Type.Union([Type.String(), Type.Null()]),
  byteLength: Type.Integer(),
});
