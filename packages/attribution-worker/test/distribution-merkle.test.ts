import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { RewardTree, verifyProof, rewardLeafHash } from '@openledger/sdk';
import { distributeEpoch } from '../src/settlement/distribution.js';

const addr = (i: number) => `0x${(i + 1).toString(16).padStart(40, '0')}`;

describe('reward trees match @openzeppelin/merkle-tree', () => {
  it.each([1, 2, 3, 7, 100, 513])('%i accounts: same root, same proofs', (n) => {
    const entries = Array.from({ length: n }, (_, i) => ({ account: addr(i * 7919), cumulativeAmount: BigInt(i) * 10n ** 15n + 1n }));
    const ours = RewardTree.of(entries);
    const oz = StandardMerkleTree.of(entries.map((e) => [e.account, e.cumulativeAmount.toString()]), ['address', 'uint256']);
    expect(ours.root).toBe(oz.root);
    for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 17))) {
      expect(ours.getProof(i)).toEqual(oz.getProof(i));
      expect(verifyProof(ours.root, rewardLeafHash(entries[i]!.account, entries[i]!.cumulativeAmount), ours.getProof(i))).toBe(true);
    }
  });
});

describe('epoch distribution', () => {
  it('pays each group exactly its part, by fee-weighted normalized scores, remainders by largest remainder', () => {
    const A = addr(1);
    const B = addr(2);
    const C = addr(3);
    const result = distributeEpoch([
      {
        contributorsPart: 10n,
        inferences: [
          { feeWei: 1n, scores: [{ account: A, score: 1n }, { account: B, score: 2n }] }, // A 1/3, B 2/3
          { feeWei: 2n, scores: [{ account: C, score: 5n }] }, // C all
        ],
      },
      { contributorsPart: 7n, inferences: [{ feeWei: 3n, scores: [] }] }, // no data: unallocated
    ]);
    // Weights: A = 1/3, B = 2/3, C = 2 (of 3). 10 × (1/9, 2/9, 6/9) = 1.11, 2.22, 6.67 → floors 1, 2, 6; 1 left → C (largest remainder).
    expect(Object.fromEntries(result.deltas)).toEqual({ [A]: 1n, [B]: 2n, [C]: 7n });
    expect(result.distributed).toBe(10n);
    expect(result.unallocated).toBe(7n);
  });

  it('does not depend on the order of inferences or scores', () => {
    const inferences = Array.from({ length: 50 }, (_, i) => ({
      feeWei: BigInt(1 + (i % 7)) * 10n ** 15n,
      scores: Array.from({ length: 1 + (i % 5) }, (_, k) => ({ account: addr((i * 3 + k) % 11), score: BigInt(1 + ((i + k) % 4)) })),
    }));
    const a = distributeEpoch([{ contributorsPart: 123456789n, inferences }]);
    const b = distributeEpoch([{ contributorsPart: 123456789n, inferences: [...inferences].reverse().map((x) => ({ ...x, scores: [...x.scores].reverse() })) }]);
    expect(Object.fromEntries(a.deltas)).toEqual(Object.fromEntries(b.deltas));
    expect([...a.deltas.values()].reduce((s, v) => s + v, 0n)).toBe(123456789n);
  });
});
