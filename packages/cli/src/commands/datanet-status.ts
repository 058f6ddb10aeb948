import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { COMMON_OPTIONS, serviceUrl } from '../options.js';
import { ServiceClient } from '../service-client.js';

export const datanetStatus: Command = {
  name: 'datanet status',
  summary: 'Show an uploaded batch: relay status, contribution id and its review status',
  usage: 'openledger datanet status <batchId> [--service-url URL] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON_OPTIONS, json: { type: 'boolean' } } });
    const [batchId] = positionals;
    if (!batchId) throw new CliError('<batchId>', 'the batch id printed by `datanet upload` is required');
    if (!/^[0-9a-f-]{36}$/i.test(batchId)) throw new CliError('<batchId>', `must be a batch id (uuid), got ${JSON.stringify(batchId)}`);
    const client = new ServiceClient(serviceUrl(values, io));
    const batch = await client.request<Record<string, unknown>>('GET', `/batches/${batchId}`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(batch)}\n`);
      return;
    }
    for (const key of ['batchId', 'datanetId', 'contributor', 'status', 'batchRoot', 'recordCount', 'byteCount', 'contributionId', 'contributionStatus', 'txHash', 'error']) {
      if (batch[key] !== null && batch[key] !== undefined) io.stdout.write(`${key.padEnd(18)} ${String(batch[key])}\n`);
    }
  },
};
