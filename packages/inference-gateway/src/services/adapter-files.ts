import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { HttpProblem } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { adapterFiles } from '../db/schema.js';

const GGUF_MAGIC = Buffer.from('GGUF');

/**
 * Adapter files uploaded by model owners, stored content-addressed (`<dir>/<sha256>.gguf`): streamed to a
 * temp file with a size bound while hashed, checked to be a GGUF file, then renamed to their hash. The hash
 * is what the owner registers on chain; engines load nothing whose bytes do not match it.
 */
export class AdapterFileStore {
  constructor(private readonly db: Db, readonly dir: string, private readonly maxBytes: number) {}

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new HttpProblem(400, 'sha256 must be 64 lowercase hex characters');
    return path.join(this.dir, `${sha256}.gguf`);
  }

  async save(body: Readable, uploadedBy: string): Promise<{ sha256: string; bytes: number; created: boolean }> {
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let head = Buffer.alloc(0);
    const out = await open(tmp, 'w');
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.maxBytes) throw new HttpProblem(413, `adapter file exceeds ${this.maxBytes} bytes`);
        if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
        hash.update(chunk);
        await out.write(chunk);
      }
      await out.close();
      if (!head.subarray(0, 4).equals(GGUF_MAGIC)) throw new HttpProblem(415, 'the upload is not a GGUF file (magic "GGUF" missing)');
      const sha256 = hash.digest('hex');
      const target = this.pathFor(sha256);
      const existed = await stat(target).then(() => true, () => false);
      if (!existed) await rename(tmp, target);
      const inserted = await this.db.insert(adapterFiles).values({ sha256, bytes, uploadedBy }).onConflictDoNothing().returning({ sha256: adapterFiles.sha256 });
      return { sha256, bytes, created: inserted.length > 0 };
    } finally {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }

  async open(sha256: string): Promise<{ stream: Readable; bytes: number } | null> {
    const file = this.pathFor(sha256);
    const info = await stat(file).catch(() => null);
    if (!info) return null;
    return { stream: createReadStream(file), bytes: info.size };
  }
}
