import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A blob's content address: lowercase hex SHA-256 of its bytes. */
export type BlobHash = string;

const HASH_RE = /^[0-9a-f]{64}$/;

export function assertBlobHash(hash: string): BlobHash {
  if (!HASH_RE.test(hash)) throw new Error(`not a blob hash: ${JSON.stringify(hash.slice(0, 80))}`);
  return hash;
}

/** A blob being written: bytes go to a temporary place until `commit` moves them to their address. */
export interface BlobWriter {
  /** Appends bytes; resolves when the store can take more (backpressure). */
  write(chunk: Buffer): Promise<void>;
  /** Bytes written so far. */
  readonly size: number;
  /** Finishes the blob, stores it under its hash and returns the hash. */
  commit(): Promise<BlobHash>;
  /** Drops the temporary bytes. Safe to call more than once or after commit (no-op then). */
  abort(): Promise<void>;
}

/** Content-addressed blob storage. The local-disk store below is one; an S3-compatible one fits the same shape. */
export interface BlobStore {
  createWriter(): Promise<BlobWriter>;
  /** Stores a small in-memory blob. */
  put(bytes: Buffer): Promise<BlobHash>;
  has(hash: BlobHash): Promise<boolean>;
  /** Reads `length` bytes at `offset`. */
  read(hash: BlobHash, offset?: number, length?: number): Promise<Buffer>;
  /** Streams the bytes [start, end] (inclusive end, as fs streams). */
  stream(hash: BlobHash, start?: number, end?: number): Readable;
  /** Deletes a blob (used only for blobs of an upload that failed and nothing references). */
  delete(hash: BlobHash): Promise<void>;
  /** Removes leftovers of writers that never committed (after a crash). */
  sweepTemporary(): Promise<number>;
}

/**
 * Blobs on local disk under `root/blobs/ab/cd/<sha256>`; temporary files under `root/tmp/<uuid>`.
 * Every path is built from a validated hash or a server-made uuid, never from client input.
 */
export class LocalBlobStore implements BlobStore {
  private readonly blobsDir: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.blobsDir = join(root, 'blobs');
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<this> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    return this;
  }

  private pathOf(hash: BlobHash): string {
    assertBlobHash(hash);
    return join(this.blobsDir, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async createWriter(): Promise<BlobWriter> {
    const tmpPath = join(this.tmpDir, randomUUID());
    const file: WriteStream = createWriteStream(tmpPath, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
    let failure: Error | undefined;
    file.on('error', (err) => {
      failure = err;
    });
    const sha = createHash('sha256');
    let size = 0;
    let done = false;
    const closeFile = () =>
      new Promise<void>((resolve, reject) => {
        if (file.closed) return resolve();
        file.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
    const store = this;
    return {
      get size() {
        return size;
      },
      async write(chunk: Buffer) {
        if (failure) throw failure;
        sha.update(chunk);
        size += chunk.length;
        if (!file.write(chunk)) {
          await new Promise<void>((resolve, reject) => {
            const onDrain = () => {
              file.off('error', onError);
              resolve();
            };
            const onError = (err: Error) => {
              file.off('drain', onDrain);
              reject(err);
            };
            file.once('drain', onDrain);
            file.once('error', onError);
          });
        }
      },
      async commit() {
        if (failure) throw failure;
        await closeFile();
        const hash = sha.digest('hex');
        const target = store.pathOf(hash);
        await mkdir(join(target, '..'), { recursive: true });
        await rename(tmpPath, target); // same bytes at the same address: replacing is harmless
        done = true;
        return hash;
      },
      async abort() {
        if (done) return;
        done = true;
        file.destroy();
        await rm(tmpPath, { force: true });
      },
    };
  }

  async put(bytes: Buffer): Promise<BlobHash> {
    const writer = await this.createWriter();
    try {
      await writer.write(bytes);
      return await writer.commit();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  async has(hash: BlobHash): Promise<boolean> {
    try {
      await stat(this.pathOf(hash));
      return true;
    } catch {
      return false;
    }
  }

  async read(hash: BlobHash, offset = 0, length?: number): Promise<Buffer> {
    const handle = await open(this.pathOf(hash), 'r');
    try {
      const size = length ?? (await handle.stat()).size - offset;
      const buf = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(buf, read, size - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return read === size ? buf : buf.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async delete(hash: BlobHash): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
  }

  stream(hash: BlobHash, start?: number, end?: number): Readable {
    return createReadStream(this.pathOf(hash), { start, end, highWaterMark: 256 * 1024 });
  }

  async sweepTemporary(): Promise<number> {
    const { readdir } = await import('node:fs/promises');
    const names = await readdir(this.tmpDir);
    await Promise.all(names.map((n) => rm(join(this.tmpDir, n), { force: true })));
    return names.length;
  }
}
