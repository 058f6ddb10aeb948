import { describe, expect, it } from 'vitest';
import { RewardsUnavailableError, fetchRewards } from './fetch-rewards.js';

const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const proof = ['0x' + 'ab'.repeat(32)];
const respond = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('fetchRewards', () => {
  it('parses the proof API answer', async () => {
    const r = await fetchRewards('http://x', account, respond(200, { account, epoch: 2, cumulativeAmount: '1500', proof, epochs: [{ epoch: 1, amount: '1000' }, { epoch: 2, amount: '500' }] }));
    expect(r).toEqual({ account, epoch: 2, cumulativeAmount: 1500n, proof, epochs: [{ epoch: 1, amount: 1000n }, { epoch: 2, amount: 500n }] });
  });
  it('returns undefined for an account without rewards', async () => {
    expect(await fetchRewards('http://x', account, respond(404, {}))).toBeUndefined();
  });
  it('explains a missing or unreachable service and bad answers', async () => {
    await expect(fetchRewards(undefined, account)).rejects.toThrow(/No attribution service is configured/);
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(fetchRewards('http://down', account, down)).rejects.toThrow(/not reachable/);
    await expect(fetchRewards('http://x', account, respond(500, { detail: 'db down' }))).rejects.toThrow('HTTP 500: db down');
    await expect(fetchRewards('http://x', account, respond(200, { proof: ['0x12'] }))).rejects.toBeInstanceOf(RewardsUnavailableError);
  });
});
