import type { Readable } from 'node:stream';
import type { RecordHasher } from '@openledger/sdk';
import { badRequest } from '@openledger/service-kit';
import type { UploadLimits } from '../config.js';
import type { BlobStore, BlobWriter } from '../store/blob-store.js';
import { invalidRecord, limitExceeded } from './problems.js';
import type { RecordWriter } from './record-writer.js';
import type { RecordValidator } from './schema-validator.js';

export interface IngestResult {
  batchRoot: string;
  recordCount: number;
  byteCount: number;
}

const NEWLINE = 0x0a;

/**
 * Turns upload streams into a batch: every byte goes to a content-addressed blob as it arrives, every
 * record is validated, hashed (keccak256) and handed to the record writer; memory holds one chunk, one
 * partial line and 32 bytes per record. `finish` builds the batch Merkle root.
 */
export class BatchIngestor {
  private recordHashes: Uint8Array = new Uint8Array(32 * 1024);
  private recordCount = 0;
  private byteCount = 0;
  private readonly openWriters = new Set<BlobWriter>();
  private nextBlobIndex = 0;
  /** Blobs committed so far (stored with the batch row). */
  readonly blobs: { blobIndex: number; blobHash: string; byteCount: number }[] = [];

  constructor(
    private readonly deps: {
      hasher: RecordHasher;
      store: BlobStore;
      writer: RecordWriter;
      limits: UploadLimits;
      validator?: RecordValidator;
      onProgress?: (bytes: number, records: number) => void;
    },
  ) {}

  get records(): number {
    return this.recordCount;
  }

  private countBytes(n: number): void {
    this.byteCount += n;
    if (this.byteCount > this.deps.limits.maxUploadBytes) {
      throw limitExceeded('maxUploadBytes', this.deps.limits.maxUploadBytes, 'upload size');
    }
  }

  private nextIndex(): number {
    if (this.recordCount >= this.deps.limits.maxRecords) {
      throw limitExceeded('maxRecords', this.deps.limits.maxRecords, 'record count');
    }
    const index = this.recordCount++;
    if (index * 32 + 32 > this.recordHashes.length) {
      const grown = new Uint8Array(this.recordHashes.length * 2);
      grown.set(this.recordHashes);
      this.recordHashes = grown;
    }
    return index;
  }

  private async openBlob(): Promise<{ blob: BlobWriter; blobIndex: number }> {
    const blob = await this.deps.store.createWriter();
    this.openWriters.add(blob);
    return { blob, blobIndex: this.nextBlobIndex++ };
  }

  /** JSON Lines: one record per non-empty line (a trailing CR is dropped), each validated against the schema. */
  async addJsonl(stream: AsyncIterable<Buffer> | Readable): Promise<number> {
    const { blob, blobIndex } = await this.openBlob();
    const parts: Buffer[] = [];
    let partLength = 0;
    let lineStart = 0; // blob offset of the current line
    let blobOffset = 0;
    const before = this.recordCount;
    const limit = this.deps.limits.maxRecordBytes;
    const emit = async (line: Buffer, offset: number) => {
      let length = line.length;
      if (length > 0 && line[length - 1] === 0x0d) length--;
      if (length === 0) return;
      if (length > limit) throw limitExceeded('maxRecordBytes', limit, `record ${this.recordCount} length`);
      const body = length === line.length ? line : line.subarray(0, length);
      const index = this.nextIndex();
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw invalidRecord(index, `is not valid JSON (${(err as Error).message})`);
      }
      this.deps.validator?.check(index, value);
      this.deps.hasher.hashInto(body, this.recordHashes, index * 32);
      const flushing = this.deps.writer.append({
        recordIndex: index,
        recordHash: this.recordHashes.subarray(index * 32, index * 32 + 32),
        blobIndex,
        byteOffset: offset,
        byteLength: length,
        kind: 'json',
        contentType: null,
        fileName: null,
      });
      if (flushing) await flushing; // most appends only buffer: no promise, no microtask
    };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      this.countBytes(chunk.length);
      await blob.write(chunk);
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, from);
        if (nl < 0) break;
        const piece = chunk.subarray(from, nl);
        const line = partLength === 0 ? piece : Buffer.concat([...parts, piece]);
        parts.length = 0;
        partLength = 0;
        await emit(line, lineStart);
        lineStart = blobOffset + nl + 1;
        from = nl + 1;
      }
      if (from < chunk.length) {
        const rest = chunk.subarray(from);
        partLength += rest.length;
        if (partLength > limit + 1) throw limitExceeded('maxRecordBytes', limit, `record ${this.recordCount} length`);
        parts.push(Buffer.from(rest)); // copy: the stream may reuse the chunk's memory
      }
      blobOffset += chunk.length;
      this.deps.onProgress?.(this.byteCount, this.recordCount);
    }
    if (partLength > 0) await emit(Buffer.concat(parts), lineStart);
    await this.commitBlob(blob, blobIndex);
    return this.recordCount - before;
  }

  /** One file = one record (raw bytes). Datanets with a record schema take JSON records only. */
  async addFile(stream: AsyncIterable<Buffer> | Readable, file: { contentType: string; fileName: string }): Promise<void> {
    if (this.deps.validator) {
      throw badRequest(`file ${JSON.stringify(file.fileName)}: this datanet has a record schema, so it takes JSON Lines (.jsonl) files only`);
    }
    const index = this.nextIndex();
    const { blob, blobIndex } = await this.openBlob();
    const hash = await this.deps.hasher.createStream();
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      this.countBytes(chunk.length);
      size += chunk.length;
      if (size > this.deps.limits.maxRecordBytes) {
        throw limitExceeded('maxRecordBytes', this.deps.limits.maxRecordBytes, `file ${JSON.stringify(file.fileName)} size`);
      }
      hash.update(chunk);
      await blob.write(chunk);
      this.deps.onProgress?.(this.byteCount, this.recordCount);
    }
    if (size === 0) throw badRequest(`file ${JSON.stringify(file.fileName)} is empty`);
    this.recordHashes.set(hash.digest(), index * 32);
    await this.commitBlob(blob, blobIndex);
    await this.deps.writer.append({
      recordIndex: index,
      recordHash: this.recordHashes.subarray(index * 32, index * 32 + 32),
      blobIndex,
      byteOffset: 0,
      byteLength: size,
      kind: 'file',
      contentType: file.contentType,
      fileName: file.fileName,
    });
  }

  private async commitBlob(blob: BlobWriter, blobIndex: number): Promise<void> {
    const byteCount = blob.size;
    const blobHash = await blob.commit();
    this.openWriters.delete(blob);
    this.blobs.push({ blobIndex, blobHash, byteCount });
  }

  finish(): IngestResult {
    if (this.recordCount === 0) throw badRequest('the upload holds no records');
    const root = this.deps.hasher.batchRoot(this.recordHashes.subarray(0, this.recordCount * 32));
    return { batchRoot: root, recordCount: this.recordCount, byteCount: this.byteCount };
  }

  /** Drops blobs still being written. */
  async abort(): Promise<void> {
    await Promise.all([...this.openWriters].map((w) => w.abort()));
    this.openWriters.clear();
  }
}
