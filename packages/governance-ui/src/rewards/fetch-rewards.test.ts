import { describe, expect, it } from 'vitest';
import { RewardsUnavailableError, fetchRewards, newestClaimableProof } from './fetch-rewards.js';

const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const proof = ['0x' + 'ab'.repeat(32)];
const root = '0x' + 'cd'.repeat(32);

/** Answers like the attribution worker: per-epoch list and proof routes. */
function service(list: [number, unknown], proofAnswer: [number, unknown]): typeof fetch {
  return (async (url: string) => {
    const [status, body] = url.endsWith('/proof') ? proofAnswer : list;
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe('fetchRewards', () => {
  it('reads rewards per epoch and the latest proof', async () => {
    const r = await fetchRewards(
      'http://x',
      account,
      service(
        [200, { account, epochs: [{ epoch: 1, chainEpoch: 1, state: 'posted', cumulativeAmount: '1000', amount: '1000' }, { epoch: 2, chainEpoch: null, state: 'open', cumulativeAmount: '1500', amount: '500' }] }],
        [200, { account, epoch: 1, chainEpoch: 1, root, cumulativeAmount: '1000', proof, claim: { to: null, data: '0x' } }],
      ),
    );
    expect(r.epochs).toEqual([
      { epoch: 1, chainEpoch: 1, state: 'posted', cumulativeAmount: 1000n, amount: 1000n },
      { epoch: 2, chainEpoch: null, state: 'open', cumulativeAmount: 1500n, amount: 500n },
    ]);
    expect(r.proof).toEqual({ epoch: 1, chainEpoch: 1, root, cumulativeAmount: 1000n, proof });
  });

  it('has no proof while nothing is posted (404)', async () => {
    const r = await fetchRewards('http://x', account, service([200, { account, epochs: [] }], [404, { status: 404, detail: 'no epoch has been posted yet' }]));
    expect(r).toEqual({ epochs: [], proof: undefined });
  });

  it('explains a missing or unreachable service and bad answers', async () => {
    await expect(fetchRewards(undefined, account)).rejects.toThrow(/No attribution service is configured/);
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(fetchRewards('http://down', account, down)).rejects.toThrow(/not reachable/);
    await expect(fetchRewards('http://x', account, service([500, { detail: 'db down' }], [404, {}]))).rejects.toThrow('HTTP 500: db down');
    await expect(fetchRewards('http://x', account, service([200, { epochs: [] }], [200, { proof: ['0x12'] }]))).rejects.toBeInstanceOf(RewardsUnavailableError);
  });
});

describe('newestClaimableProof', () => {
  const rootOf = (epoch: number) => '0x' + epoch.toString(16).padStart(64, '0');
  const answer = (epoch: number) => ({ account, epoch, chainEpoch: epoch, root: rootOf(epoch), cumulativeAmount: String(epoch * 100), proof, claim: { to: null, data: '0x' } });
  const rewards = {
    epochs: [1, 2, 3, 4].map((epoch) => ({ epoch, chainEpoch: epoch, state: 'posted', cumulativeAmount: BigInt(epoch * 100), amount: 100n })),
    proof: { epoch: 4, chainEpoch: 4, root: rootOf(4), cumulativeAmount: 400n, proof },
  };
  function proofService(asked: number[]): typeof fetch {
    return (async (url: string) => {
      const epoch = Number(new URL(url).searchParams.get('epoch'));
      asked.push(epoch);
      return new Response(JSON.stringify(answer(epoch)), { status: 200 });
    }) as unknown as typeof fetch;
  }

  it('is the latest proof when its root is claimable, without asking for more', async () => {
    const asked: number[] = [];
    const p = await newestClaimableProof('http://x', account, rewards, async () => true, proofService(asked));
    expect(p).toBe(rewards.proof);
    expect(asked).toEqual([]);
  });

  it('steps back to the newest epoch whose root is claimable while newer ones are inside their window', async () => {
    const asked: number[] = [];
    const open = new Set([rootOf(1), rootOf(2)]);
    const p = await newestClaimableProof('http://x', account, rewards, async (r) => open.has(r), proofService(asked));
    expect(p).toEqual({ epoch: 2, chainEpoch: 2, root: rootOf(2), cumulativeAmount: 200n, proof });
    expect(asked).toEqual([3, 2]);
  });

  it('is undefined when no root holding the account is claimable yet', async () => {
    const asked: number[] = [];
    expect(await newestClaimableProof('http://x', account, rewards, async () => false, proofService(asked))).toBeUndefined();
    expect(asked).toEqual([3, 2, 1]);
    expect(await newestClaimableProof('http://x', account, { epochs: [], proof: undefined }, async () => true)).toBeUndefined();
  });
});
