import { parseArgs } from 'node:util';
import { formatUnits, isAddress } from 'ethers';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { COMMON_OPTIONS, wallet } from '../options.js';
import { ServiceClient } from '../service-client.js';

/** The attribution worker's proof API: --rewards-url, else OPENLEDGER_REWARDS_URL, else :8082. */
export function rewardsClient(values: { 'rewards-url'?: string }, io: CliIo): ServiceClient {
  const raw = values['rewards-url'] ?? io.env.OPENLEDGER_REWARDS_URL ?? 'http://127.0.0.1:8082';
  try {
    const url = new URL(raw);
    if (!['http:', 'https:'].includes(url.protocol)) throw new Error('not http(s)');
  } catch {
    throw new CliError(values['rewards-url'] ? '--rewards-url' : 'OPENLEDGER_REWARDS_URL', `must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  return new ServiceClient(raw.replace(/\/+$/, ''));
}

/** The account: a positional address, else the address of --private-key / OPENLEDGER_PRIVATE_KEY. */
export function rewardsAccount(positional: string | undefined, values: { 'private-key'?: string }, io: CliIo): string {
  if (positional !== undefined) {
    if (!isAddress(positional)) throw new CliError('<account>', `must be an address, got ${JSON.stringify(positional)}`);
    return positional;
  }
  return wallet(values, io).address;
}

export const REWARDS_OPTIONS = { ...COMMON_OPTIONS, 'rewards-url': { type: 'string' }, json: { type: 'boolean' } } as const;

export const rewardsStatus: Command = {
  name: 'rewards status',
  summary: "Show an account's cumulative attribution rewards per settled epoch",
  usage: 'openledger rewards status [<account>] [--rewards-url URL] [--private-key KEY] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REWARDS_OPTIONS });
    const account = rewardsAccount(positionals[0], values, io);
    const body = await rewardsClient(values, io).request<{ account: string; epochs: Array<{ epoch: number; chainEpoch: number | null; state: string; cumulativeAmount: string; amount: string }> }>(
      'GET',
      `/v1/rewards/${account}`,
    );
    if (values.json) {
      io.stdout.write(`${JSON.stringify(body)}\n`);
      return;
    }
    if (body.epochs.length === 0) {
      io.stdout.write(`${body.account} has no rewards yet\n`);
      return;
    }
    io.stdout.write(`${'epoch'.padEnd(7)}${'chain'.padEnd(7)}${'state'.padEnd(12)}${'earned (OPEN)'.padEnd(26)}cumulative (OPEN)\n`);
    for (const e of body.epochs) {
      io.stdout.write(`${String(e.epoch).padEnd(7)}${String(e.chainEpoch ?? '-').padEnd(7)}${e.state.padEnd(12)}${formatUnits(e.amount, 18).padEnd(26)}${formatUnits(e.cumulativeAmount, 18)}\n`);
    }
  },
};
