import { createReadStream } from 'node:fs';
import { createRecordHasher } from '@openledger/sdk';

export const isJsonLines = (path: string) => /\.(jsonl|ndjson)$/i.test(path);

/**
 * Hashes a file the way the datanet service will, so the CLI can check the root the service
 * returns before signing it: JSON Lines → one record per non-empty line (trailing CR dropped);
 * any other file → one record of its bytes.
 */
export async function hashLocalBatch(path: string, onProgress: (bytes: number) => void): Promise<{ batchRoot: string; recordCount: number }> {
  const hasher = await createRecordHasher();
  if (!isJsonLines(path)) {
    const stream = await hasher.createStream();
    let bytes = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      stream.update(chunk);
      bytes += chunk.length;
      onProgress(bytes);
    }
    return { batchRoot: hasher.batchRoot(stream.digest()), recordCount: 1 };
  }
  let hashes = new Uint8Array(32 * 4096);
  let count = 0;
  const add = (line: Buffer) => {
    let end = line.length;
    if (end > 0 && line[end - 1] === 0x0d) end--;
    if (end === 0) return;
    if ((count + 1) * 32 > hashes.length) {
      const grown = new Uint8Array(hashes.length * 2);
      grown.set(hashes);
      hashes = grown;
    }
    hasher.hashInto(line.subarray(0, end), hashes, count * 32);
    count++;
  };
  let carry: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      add(carry.length ? Buffer.concat([...carry, piece]) : piece);
      carry = [];
      from = nl + 1;
    }
    if (from < chunk.length) carry.push(Buffer.from(chunk.subarray(from)));
    bytes += chunk.length;
    onProgress(bytes);
  }
  if (carry.length) add(Buffer.concat(carry));
  if (count === 0) return { batchRoot: '', recordCount: 0 };
  return { batchRoot: hasher.batchRoot(hashes.subarray(0, count * 32)), recordCount: count };
}
