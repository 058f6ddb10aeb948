import { Type, type Static } from 'typebox';

/** Problem details response body (RFC 9457). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
  },
  { $id: 'Problem', additionalProperties: true },
);
export type Problem = Static<typeof ProblemSchema>;

/** Standard problem responses to spread into a route's `response` schema. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ProblemSchema])) as Record<number, typeof ProblemSchema>;

/** A uint256 / wei amount as a decimal string (JSON has no bigint). */
export const WeiString = Type.String({ pattern: '^[0-9]{1,78}$', description: 'amount in wei, decimal string' });
export const AddressString = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'EVM address' });
export const Bytes32String = Type.String({ pattern: '^0x[0-9a-fA-F]{64}$', description: '32-byte hex' });
