import { bytesToHex } from './bytes.js';
import { createKeccak256, keccak256Into } from './keccak.js';
import { RecordBatchTree } from './records.js';

/**
 * Bulk record hashing for services that hash millions of records: the same hashes and roots as
 * `recordHash` / `batchRoot` (one Merkle implementation: records.ts over tree.ts, both on the
 * WebAssembly keccak of keccak.ts), plus an incremental keccak256 (same module) for records too
 * large to hold in memory.
 */
export interface RecordHasher {
  /** keccak256(record) written into `out` at `offset` (32 bytes). */
  hashInto(record: Uint8Array, out: Uint8Array, offset: number): void;
  /** keccak256(record) as 0x-hex (same as `recordHash`). */
  recordHash(record: Uint8Array): string;
  /** Root of the batch whose record hashes (batch order) are `recordHashes` (n × 32 bytes); same as `batchRoot`. */
  batchRoot(recordHashes: Uint8Array): string;
  /** A fresh incremental keccak256, for records too large to hold in memory (whole files). */
  createStream(): Promise<{ update(chunk: Uint8Array): void; digest(): Uint8Array }>;
}

export async function createRecordHasher(): Promise<RecordHasher> {
  return {
    hashInto: keccak256Into,
    recordHash(record) {
      const out = new Uint8Array(32);
      keccak256Into(record, out, 0);
      return bytesToHex(out);
    },
    async createStream() {
      const stream = createKeccak256();
      return { update: (chunk) => void stream.update(chunk), digest: () => stream.digest() };
    },
    batchRoot(recordHashes) {
      return RecordBatchTree.of(recordHashes).root;
    },
  };
}
