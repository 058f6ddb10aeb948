import { createReadStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from './errors.js';
import { isJsonLines } from './local-batch.js';
import { ServiceClient } from './service-client.js';

/**
 * Streams a file to `POST /datanets/:id/batches` (JSON Lines as the raw body, anything else as one
 * multipart file part) without holding it in memory; `onProgress` gets the bytes sent.
 */
export async function streamUpload<T>(options: {
  url: string;
  path: string;
  size: number;
  headers: Record<string, string>;
  onProgress: (bytes: number) => void;
}): Promise<T> {
  const jsonl = isJsonLines(options.path);
  const boundary = `----openledger${randomBytes(12).toString('hex')}`;
  const name = basename(options.path).replace(/["\r\n]/g, '_');
  const head = jsonl
    ? Buffer.alloc(0)
    : Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = jsonl ? Buffer.alloc(0) : Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(options.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<T>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': jsonl ? 'application/x-ndjson' : `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + options.size + tail.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          ServiceClient.parse<T>({ status: res.statusCode ?? 0, text: async () => text }, 'upload').then(resolve, reject);
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) => reject(new CliError(undefined, `upload failed: ${err.message}`, 1)));
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        options.onProgress(sent);
        done(null, chunk);
      },
    });
    req.write(head);
    pipeline(createReadStream(options.path, { highWaterMark: 1 << 20 }), counter, async function* (source) {
      for await (const chunk of source) yield chunk;
      yield tail;
    }, req).catch(reject);
  });
}
