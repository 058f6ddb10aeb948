import { and, asc, eq, gte } from 'drizzle-orm';
import type { Db } from './db/database.js';
import { batchBlobs, batchRecords } from './db/schema.js';
import type { BlobStore } from './store/blob-store.js';

export interface StoredRecord {
  index: number;
  recordHash: string;
  kind: 'json' | 'file';
  /** Parsed JSON for json records; for files, a description (bytes are at `blobHash`). */
  record: unknown;
  contentType: string | null;
  fileName: string | null;
  byteLength: number;
}

/** Reads records [offset, offset+limit) of a batch: rows from the DB, bytes from the blobs (one read per blob run). */
export async function readBatchRecords(db: Db, store: BlobStore, batchId: string, offset: number, limit: number): Promise<StoredRecord[]> {
  const rows = await db
    .select()
    .from(batchRecords)
    .where(and(eq(batchRecords.batchId, batchId), gte(batchRecords.recordIndex, offset)))
    .orderBy(asc(batchRecords.recordIndex))
    .limit(limit);
  if (rows.length === 0) return [];
  const blobs = new Map((await db.select().from(batchBlobs).where(eq(batchBlobs.batchId, batchId))).map((b) => [b.blobIndex, b.blobHash]));
  const out: StoredRecord[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    const blobHash = blobs.get(first.blobIndex);
    if (!blobHash) throw new Error(`batch ${batchId} has no blob ${first.blobIndex}`);
    if (first.kind === 'file') {
      out.push({
        index: first.recordIndex,
        recordHash: `0x${Buffer.from(first.recordHash).toString("hex")}`,
        kind: 'file',
        record: { file: { blobSha256: blobHash, contentType: first.contentType, fileName: first.fileName, size: first.byteLength } },
        contentType: first.contentType,
        fileName: first.fileName,
        byteLength: first.byteLength,
      });
      i++;
      continue;
    }
    // a run of json records in the same blob: one read covers them all
    let j = i;
    while (j + 1 < rows.length && rows[j + 1]!.blobIndex === first.blobIndex && rows[j + 1]!.kind === 'json') j++;
    const start = first.byteOffset;
    const last = rows[j]!;
    const bytes = await store.read(blobHash, start, last.byteOffset + last.byteLength - start);
    for (let k = i; k <= j; k++) {
      const r = rows[k]!;
      const text = bytes.toString('utf8', r.byteOffset - start, r.byteOffset - start + r.byteLength);
      out.push({
        index: r.recordIndex,
        recordHash: `0x${Buffer.from(r.recordHash).toString("hex")}`,
        kind: 'json',
        record: JSON.parse(text),
        contentType: null,
        fileName: null,
        byteLength: r.byteLength,
      });
    }
    i = j + 1;
  }
  return out;
}
