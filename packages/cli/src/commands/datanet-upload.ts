import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { hashLocalBatch } from '../local-batch.js';
import { COMMON_OPTIONS, positiveInteger, serviceUrl, wallet } from '../options.js';
import { ProgressBar } from '../progress.js';
import { ServiceClient } from '../service-client.js';
import { streamUpload } from '../upload-stream.js';

interface UploadAnswer {
  batchId: string;
  batchRoot: string;
  recordCount: number;
  byteCount: number;
  typedData: { domain: Record<string, string>; types: Record<string, { name: string; type: string }[]>; message: Record<string, string> };
  transaction: { to: string; data: string; chainId: number };
}

export const datanetUpload: Command = {
  name: 'datanet upload',
  summary: 'Upload a file (JSON Lines: one record per line; anything else: one record) to a datanet and sign it for relaying',
  usage: 'openledger datanet upload <file> --datanet <id> [--no-relay] [--service-url URL] [--private-key KEY]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...COMMON_OPTIONS, datanet: { type: 'string' }, 'no-relay': { type: 'boolean' } },
    });
    const [file, ...extra] = positionals;
    if (!file) throw new CliError('<file>', 'the file to upload is required');
    if (extra.length) throw new CliError('<file>', `one file per upload, got ${positionals.length}`);
    const datanetId = positiveInteger(values.datanet, '--datanet');
    const signer = wallet(values, io);
    const base = serviceUrl(values, io);
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a regular file');
      size = info.size;
    } catch (err) {
      throw new CliError('<file>', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (size === 0) throw new CliError('<file>', `${file} is empty`);

    const hashing = new ProgressBar(io, 'hashing', size);
    const local = await hashLocalBatch(file, (bytes) => hashing.update(bytes));
    hashing.done(`${local.recordCount} records`);
    if (local.recordCount === 0) throw new CliError('<file>', `${file} holds no records (only empty lines)`);

    const client = new ServiceClient(base);
    await client.signIn(signer);
    const uploading = new ProgressBar(io, 'uploading', size);
    const answer = await streamUpload<UploadAnswer>({
      url: `${base}/datanets/${datanetId}/batches`,
      path: file,
      size,
      headers: client.authHeader(),
      onProgress: (bytes) => uploading.update(bytes),
    });
    uploading.done();
    if (answer.batchRoot.toLowerCase() !== local.batchRoot.toLowerCase() || answer.recordCount !== local.recordCount) {
      throw new CliError(
        undefined,
        `the service answered root ${answer.batchRoot} for ${answer.recordCount} records, but the file hashes to ${local.batchRoot} for ${local.recordCount}; not signing`,
        1,
      );
    }
    io.stdout.write(`batch ${answer.batchId}\nroot ${answer.batchRoot}\nrecords ${answer.recordCount}\n`);
    if (values['no-relay']) {
      io.stdout.write(`to submit yourself, send to ${answer.transaction.to} (chain ${answer.transaction.chainId}) data ${answer.transaction.data}\n`);
      return;
    }
    const { EIP712Domain: _domain, ...types } = answer.typedData.types;
    const signature = await signer.signTypedData(answer.typedData.domain, types, answer.typedData.message);
    const relayed = await client.request<{ status: string }>('POST', `/batches/${answer.batchId}/signature`, {
      signature,
      nonce: answer.typedData.message.nonce,
      deadline: answer.typedData.message.deadline,
    });
    io.stdout.write(`status ${relayed.status} (follow with: openledger datanet status ${answer.batchId})\n`);
  },
};
