import { describe, expect, it } from 'vitest';
import { RewardsUnavailableError, fetchRewards } from './fetch-rewards.js';

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
