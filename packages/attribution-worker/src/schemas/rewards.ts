import { Type } from 'typebox';
import { AddressString, Bytes32String, WeiString } from '@openledger/service-kit';

export const EpochSummary = Type.Object({
  epoch: Type.Integer({ description: 'worker epoch number' }),
  chainEpoch: Type.Union([Type.Integer(), Type.Null()], { description: 'epoch the root was posted as on chain' }),
  state: Type.String(),
  cutoff: Type.String({ description: 'usage completed before this time belongs to this epoch or an earlier one' }),
  root: Type.Union([Bytes32String, Type.Null()]),
  total: Type.Union([WeiString, Type.Null()]),
  distributed: Type.Union([WeiString, Type.Null()]),
  unallocated: Type.Union([WeiString, Type.Null()]),
  leafCount: Type.Union([Type.Integer(), Type.Null()]),
  dataUri: Type.Union([Type.String(), Type.Null()]),
  postTx: Type.Union([Bytes32String, Type.Null()]),
});

export const EpochList = Type.Object({ epochs: Type.Array(EpochSummary) });

export const EpochParams = Type.Object({ epoch: Type.Integer({ minimum: 1 }) });
export const AccountParams = Type.Object({ account: AddressString });
export const ProofQuery = Type.Object({ epoch: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the newest posted epoch' })) });

export const LeafSet = Type.Object({
  epoch: Type.Integer(),
  chainEpoch: Type.Integer(),
  root: Bytes32String,
  total: WeiString,
  leafEncoding: Type.Array(Type.String()),
  leaves: Type.Array(Type.Object({ account: AddressString, cumulativeAmount: WeiString })),
});

export const AccountRewards = Type.Object({
  account: AddressString,
  epochs: Type.Array(
    Type.Object({ epoch: Type.Integer(), chainEpoch: Type.Union([Type.Integer(), Type.Null()]), state: Type.String(), cumulativeAmount: WeiString, amount: WeiString }),
  ),
});

export const RewardProof = Type.Object({
  account: AddressString,
  epoch: Type.Integer(),
  chainEpoch: Type.Integer(),
  root: Bytes32String,
  cumulativeAmount: WeiString,
  proof: Type.Array(Bytes32String),
  claim: Type.Object({ to: Type.Union([AddressString, Type.Null()]), data: Type.String({ description: 'AttributionSettlement.claim calldata' }) }),
});

export const UsageParams = Type.Object({ usageId: Type.String({ pattern: '^[0-9A-Za-z_-]{1,128}$' }) });
export const UsageAttribution = Type.Object({
  usageId: Type.String(),
  method: Type.String(),
  spanCount: Type.Integer(),
  epoch: Type.Union([Type.Integer(), Type.Null()]),
  scores: Type.Array(Type.Object({ contributionId: Type.String(), contributor: AddressString, score: WeiString })),
});
