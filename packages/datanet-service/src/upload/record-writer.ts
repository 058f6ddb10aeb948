import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import type { ServiceDatabase } from '../db/database.js';
import { batchBlobs, batchRecords, batches, type BatchStatus } from '../db/schema.js';

/** One record row as the ingestor produces it. */
export interface RecordRow {
  recordIndex: number;
  recordHash: Uint8Array;
  blobIndex: number;
  byteOffset: number;
  byteLength: number;
  kind: 'json' | 'file';
  contentType: string | null;
  fileName: string | null;
}

export interface NewBatch {
  id: string;
  datanetId: number;
  contributor: string;
  status: BatchStatus;
  batchRoot: string;
  recordCount: number;
  byteCount: number;
  uri: string;
  blobs: { blobIndex: number; blobHash: string; byteCount: number }[];
}

/**
 * Writes a batch's records as they stream in and makes them visible all at once:
 * nothing of a batch can be read until `commit` stored its batch row.
 */
export interface RecordWriter {
  append(row: RecordRow): Promise<void> | void;
  commit(batch: NewBatch): Promise<void>;
  abort(): Promise<void>;
}

const COPY_COLUMNS = 'batch_id, record_index, record_hash, blob_index, byte_offset, byte_length, kind, content_type, file_name';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += HEX[bytes[i]!];
  return out;
}

/** One batch_records row in COPY text format. */
function copyLine(batchId: string, row: RecordRow): string {
  return (
    `${batchId}\t${row.recordIndex}\t\\\\x${hex32(row.recordHash)}\t${row.blobIndex}\t` +
    `${row.byteOffset}\t${row.byteLength}\t${row.kind}\t${copyText(row.contentType)}\t${copyText(row.fileName)}\n`
  );
}

/** COPY text-format field: backslash, tab, newline and CR escaped; null as \N. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Postgres: one connection, one transaction, records through `COPY ... FROM STDIN`. A crash (of the
 * process or the connection) rolls the whole batch back.
 */
export class PostgresCopyWriter implements RecordWriter {
  private client!: pg.PoolClient;
  private copy!: Writable;
  private copyDone!: Promise<void>;
  private chunk = '';
  private failed: Error | undefined;

  private constructor(private readonly batchId: string) {}

  static async open(pool: pg.Pool, batchId: string): Promise<PostgresCopyWriter> {
    const writer = new PostgresCopyWriter(batchId);
    writer.client = await pool.connect();
    await writer.client.query('BEGIN');
    writer.copy = writer.client.query(copyFrom(`COPY datanet_service.batch_records (${COPY_COLUMNS}) FROM STDIN`));
    writer.copyDone = new Promise<void>((resolve, reject) => {
      writer.copy.once('finish', () => resolve());
      writer.copy.once('error', (err: Error) => {
        writer.failed = err;
        reject(err);
      });
    });
    writer.copyDone.catch(() => undefined);
    return writer;
  }

  append(row: RecordRow): Promise<void> | void {
    this.chunk += copyLine(this.batchId, row);
    if (this.chunk.length >= 256 * 1024) return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.chunk) return;
    const ok = this.copy.write(this.chunk);
    this.chunk = '';
    if (!ok) await new Promise<void>((resolve) => this.copy.once('drain', resolve));
  }

  async commit(batch: NewBatch): Promise<void> {
    await this.flush();
    this.copy.end();
    await this.copyDone;
    await this.client.query(
      `INSERT INTO datanet_service.batches (id, datanet_id, contributor, status, batch_root, record_count, byte_count, uri)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [batch.id, batch.datanetId, batch.contributor, batch.status, batch.batchRoot, batch.recordCount, batch.byteCount, batch.uri],
    );
    for (const blob of batch.blobs) {
      await this.client.query(
        'INSERT INTO datanet_service.batch_blobs (batch_id, blob_index, blob_hash, byte_count) VALUES ($1, $2, $3, $4)',
        [batch.id, blob.blobIndex, blob.blobHash, blob.byteCount],
      );
    }
    await this.client.query('COMMIT');
    this.client.release();
  }

  async abort(): Promise<void> {
    if (!this.client) return;
    const client = this.client;
    this.client = undefined as unknown as pg.PoolClient;
    try {
      this.copy.destroy(new Error('upload aborted'));
      await this.copyDone.catch(() => undefined);
      await client.query('ROLLBACK');
      client.release();
    } catch (err) {
      client.release(err as Error); // a broken connection is discarded, its transaction dies with it
    }
  }
}

/**
 * PGlite (one in-process connection, so no long transaction that would block every other request):
 * rows are staged under the batch id with `COPY … FROM '/dev/blob'` in chunks (PGlite's bulk path, many
 * rows per statement); the batch row — the only way to reach them — is inserted last. Abort deletes the
 * staged rows; rows orphaned by a crash are swept at start-up.
 */
export class StagedCopyWriter implements RecordWriter {
  private chunk = '';

  constructor(
    private readonly database: ServiceDatabase,
    private readonly batchId: string,
    private readonly chunkBytes = 1 << 20,
  ) {}

  append(row: RecordRow): Promise<void> | void {
    this.chunk += copyLine(this.batchId, row);
    if (this.chunk.length >= this.chunkBytes) return this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.chunk) return;
    const blob = new Blob([this.chunk]);
    this.chunk = '';
    await (this.database.handle.driver as PGlite).query(`COPY datanet_service.batch_records (${COPY_COLUMNS}) FROM '/dev/blob'`, [], { blob });
  }

  async commit(batch: NewBatch): Promise<void> {
    await this.flush();
    const { blobs, ...row } = batch;
    await this.database.db.transaction(async (tx) => {
      if (blobs.length) await tx.insert(batchBlobs).values(blobs.map((b) => ({ ...b, batchId: batch.id })));
      await tx.insert(batches).values(row);
    });
  }

  async abort(): Promise<void> {
    this.chunk = '';
    await this.database.db.delete(batchRecords).where(sql`${batchRecords.batchId} = ${this.batchId}`);
  }
}

export async function openRecordWriter(database: ServiceDatabase, batchId: string): Promise<RecordWriter> {
  if (database.kind === 'postgres') return PostgresCopyWriter.open(database.handle.driver as pg.Pool, batchId);
  return new StagedCopyWriter(database, batchId);
}

/** Deletes staged record rows whose batch was never committed (a crash mid-upload). */
export async function sweepOrphanRecords(database: ServiceDatabase): Promise<number> {
  const result = await database.db.execute(
    sql`delete from datanet_service.batch_records r where not exists (select 1 from datanet_service.batches b where b.id = r.batch_id)`,
  );
  return (result as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0;
}

export type { PGlite };
