import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { REWARDS_OPTIONS, rewardsAccount, rewardsClient } from './rewards-status.js';

export const rewardsProof: Command = {
  name: 'rewards proof',
  summary: 'Print the Merkle proof and claim calldata of an account (newest posted epoch, or --epoch)',
  usage: 'openledger rewards proof [<account>] [--epoch N] [--rewards-url URL] [--private-key KEY]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...REWARDS_OPTIONS, epoch: { type: 'string' } } });
    const account = rewardsAccount(positionals[0], values, io);
    if (values.epoch !== undefined && !/^[1-9][0-9]{0,9}$/.test(values.epoch)) throw new CliError('--epoch', `must be a positive epoch number, got ${JSON.stringify(values.epoch)}`);
    const query = values.epoch ? `?epoch=${values.epoch}` : '';
    const proof = await rewardsClient(values, io).request<unknown>('GET', `/v1/rewards/${account}/proof${query}`);
    io.stdout.write(`${JSON.stringify(proof, null, values.json ? undefined : 2)}\n`);
  },
};
