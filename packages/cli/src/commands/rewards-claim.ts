import { parseArgs } from 'node:util';
import { JsonRpcProvider, formatUnits } from 'ethers';
import { getAttributionSettlement } from '@openledger/sdk';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { rpcUrl, wallet } from '../options.js';
import { REWARDS_OPTIONS, rewardsAccount, rewardsClient } from './rewards-status.js';

interface Proof {
  account: string;
  epoch: number;
  chainEpoch: number;
  root: string;
  cumulativeAmount: string;
  proof: string[];
  claim: { to: string | null; data: string };
}

export const rewardsClaim: Command = {
  name: 'rewards claim',
  summary: 'Claim attribution rewards against the newest claimable root (sent from your key; tokens go to the account)',
  usage: 'openledger rewards claim [<account>] [--rewards-url URL] [--rpc-url URL] [--private-key KEY]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REWARDS_OPTIONS });
    const signerKey = wallet(values, io);
    const account = rewardsAccount(positionals[0], values, io);
    const client = rewardsClient(values, io);
    const { epochs } = await client.request<{ epochs: Array<{ epoch: number; chainEpoch: number | null }> }>('GET', `/v1/rewards/${account}`);
    const latest = await client.request<Proof>('GET', `/v1/rewards/${account}/proof`);
    if (!latest.claim.to) throw new CliError('--rewards-url', 'the rewards service has no settlement contract configured');
    const provider = new JsonRpcProvider(rpcUrl(values, io), undefined, { cacheTimeout: -1 });
    try {
      const signer = signerKey.connect(provider);
      const settlement = getAttributionSettlement(latest.claim.to, signer);
      // any root past its challenge window and not revoked can be claimed against: the newest such one
      // pays the most (cumulative amounts only grow)
      let proof: Proof | undefined;
      const posted = epochs.filter((e) => e.chainEpoch !== null && e.chainEpoch <= latest.chainEpoch).sort((a, b) => b.chainEpoch! - a.chainEpoch!);
      for (const e of posted) {
        const candidate = e.epoch === latest.epoch ? latest : await client.request<Proof>('GET', `/v1/rewards/${account}/proof?epoch=${e.epoch}`);
        if (await settlement.isClaimable(candidate.root)) {
          proof = candidate;
          break;
        }
      }
      if (!proof) {
        const info = await settlement.rootInfo(latest.root);
        const when = info.epoch === 0n ? 'is not on chain yet' : info.revoked ? 'was revoked' : `opens at ${new Date(Number(info.claimableAt) * 1000).toISOString()}`;
        throw new CliError(undefined, `no root holding this account is claimable yet (the newest, chain epoch ${latest.chainEpoch}, ${when})`, 1);
      }
      const claimable = proof.chainEpoch;
      const already = await settlement.claimed(proof.account);
      if (already >= BigInt(proof.cumulativeAmount)) {
        io.stdout.write(`nothing to claim: ${proof.account} already claimed ${formatUnits(already, 18)} OPEN of ${formatUnits(proof.cumulativeAmount, 18)}\n`);
        return;
      }
      io.stderr.write(`claiming for ${proof.account} against chain epoch ${claimable}…\n`);
      const receipt = await (await signer.sendTransaction({ to: latest.claim.to, data: proof.claim.data })).wait();
      io.stdout.write(`claimed ${formatUnits(BigInt(proof.cumulativeAmount) - already, 18)} OPEN for ${proof.account} (tx ${receipt?.hash})\n`);
    } catch (err) {
      const revert = (err as { revert?: { name: string; args: unknown[] } }).revert;
      if (revert) throw new CliError(undefined, `claim reverted with ${revert.name}(${revert.args.map(String).join(', ')})`, 1);
      throw err;
    } finally {
      provider.destroy();
    }
  },
};
