import { parseArgs } from 'node:util';
import { JsonRpcProvider, formatUnits, parseUnits } from 'ethers';
import { getDatanetRegistry, getOpenToken } from '@openledger/sdk';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { COMMON_OPTIONS, positiveInteger, rpcUrl, serviceUrl, wallet } from '../options.js';
import { ServiceClient } from '../service-client.js';

export const datanetStake: Command = {
  name: 'datanet stake',
  summary: 'Stake OPEN on a datanet (approve + stake, sent from your key)',
  usage: 'openledger datanet stake <amount OPEN> --datanet <id> [--rpc-url URL] [--service-url URL] [--private-key KEY]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON_OPTIONS, datanet: { type: 'string' } } });
    const [amountText] = positionals;
    if (!amountText) throw new CliError('<amount>', 'the amount of OPEN to stake is required');
    let amount: bigint;
    try {
      amount = parseUnits(amountText, 18);
    } catch {
      throw new CliError('<amount>', `must be a decimal amount of OPEN (e.g. 150 or 0.5), got ${JSON.stringify(amountText)}`);
    }
    if (amount <= 0n) throw new CliError('<amount>', 'must be greater than zero');
    const datanetId = positiveInteger(values.datanet, '--datanet');
    const client = new ServiceClient(serviceUrl(values, io));
    const chain = await client.request<{ chainId: number; datanetRegistry: string; openToken: string }>('GET', '/chain');
    const provider = new JsonRpcProvider(rpcUrl(values, io), chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const signer = wallet(values, io).connect(provider);
      const token = getOpenToken(chain.openToken, signer);
      const registry = getDatanetRegistry(chain.datanetRegistry, signer);
      const balance = await token.balanceOf(signer.address);
      if (balance < amount) throw new CliError('<amount>', `${formatUnits(amount, 18)} OPEN is more than the balance of ${signer.address} (${formatUnits(balance, 18)} OPEN)`);
      if ((await token.allowance(signer.address, chain.datanetRegistry)) < amount) {
        io.stderr.write(`approving ${formatUnits(amount, 18)} OPEN for the DatanetRegistry…\n`);
        await (await token.approve(chain.datanetRegistry, amount)).wait();
      }
      io.stderr.write(`staking on datanet ${datanetId}…\n`);
      const receipt = await (await registry.stake(datanetId, amount)).wait();
      const stake = await registry.stakeOf(datanetId, signer.address);
      io.stdout.write(`staked ${formatUnits(amount, 18)} OPEN on datanet ${datanetId} (tx ${receipt?.hash}); active stake ${formatUnits(stake.amount, 18)} OPEN\n`);
    } catch (err) {
      const revert = (err as { revert?: { name: string; args: unknown[] } }).revert;
      if (revert) throw new CliError(undefined, `stake reverted with ${revert.name}(${revert.args.map(String).join(', ')})`, 1);
      throw err;
    } finally {
      provider.destroy();
    }
  },
};
