import { MerkleError } from '../errors.js';
import { bytesToHex, writeHex } from './bytes.js';
import { doubleHashLeaves, keccak256Bytes } from './keccak.js';
import { MerkleTree } from './tree.js';

/**
 * Record batches (what `submitContribution` anchors as `batchRoot`):
 *
 * - `recordHash(record) = keccak256(recordBytes)` — the raw bytes of one record (one JSONL line
 *   without its newline, or a whole file's bytes for a file upload).
 * - The batch tree is an OpenZeppelin StandardMerkleTree over `['uint256', 'bytes32']` leaves
 *   `(index, recordHash)`, index = the record's 0-based position in the batch, so a proof shows both
 *   that a record is in the batch and where. `batchRoot` is its root;
 *   leaf = keccak256(keccak256(abi.encode(index, recordHash))).
 */
export const RECORD_LEAF_ENCODING = ['uint256', 'bytes32'] as const;

export function recordHash(record: Uint8Array | string): string {
  const bytes = typeof record === 'string' ? new TextEncoder().encode(record) : record;
  return bytesToHex(keccak256Bytes(bytes));
}

/** abi.encode(uint256 index, bytes32 recordHash) for each hash: n × 64 bytes. */
export function encodeRecordLeaves(recordHashes: readonly string[] | Uint8Array): Uint8Array {
  const n = recordCount(recordHashes);
  const buf = new Uint8Array(n * 64);
  encodeRecordLeavesInto(recordHashes, buf, new DataView(buf.buffer), 0);
  return buf;
}

function recordCount(recordHashes: readonly string[] | Uint8Array): number {
  const n = recordHashes instanceof Uint8Array ? recordHashes.length / 32 : recordHashes.length;
  if (!Number.isInteger(n)) throw new MerkleError('record hashes must be a multiple of 32 bytes');
  return n;
}

function encodeRecordLeavesInto(recordHashes: readonly string[] | Uint8Array, buf: Uint8Array, view: DataView, offset: number): void {
  const n = recordCount(recordHashes);
  for (let i = 0; i < n; i++) {
    const at = offset + i * 64;
    for (let w = 0; w < 28; w += 4) view.setUint32(at + w, 0);
    view.setUint32(at + 28, i);
    if (recordHashes instanceof Uint8Array) {
      buf.set(recordHashes.subarray(i * 32, i * 32 + 32), at + 32);
    } else if (!writeHex(recordHashes[i]!, buf, at + 32, 32)) {
      throw new MerkleError(`record hash ${i} is not a 32-byte hex string`);
    }
  }
}

export function batchLeafHash(index: number, hash: string): string {
  if (!Number.isSafeInteger(index) || index < 0 || index > 0xffffffff) throw new MerkleError('record index out of range');
  const buf = new Uint8Array(64);
  new DataView(buf.buffer).setUint32(28, index);
  if (!writeHex(hash, buf, 32, 32)) throw new MerkleError('record hash is not a 32-byte hex string');
  return bytesToHex(doubleHashLeaves(buf, 1, 64));
}

/** The tree of a record batch, for its root and per-record proofs. */
export class RecordBatchTree {
  readonly tree: MerkleTree;

  private constructor(tree: MerkleTree) {
    this.tree = tree;
  }

  /** From record hashes in batch order (hex strings, or one buffer of n × 32 bytes). */
  static of(recordHashes: readonly string[] | Uint8Array): RecordBatchTree {
    const n = recordCount(recordHashes);
    if (n === 0) throw new MerkleError('a batch needs at least one record');
    if (n > 0xffffffff) throw new MerkleError('a batch holds at most 2^32-1 records');
    return new RecordBatchTree(MerkleTree.fromEncodedLeaves(n, 64, (buf, view, offset) => encodeRecordLeavesInto(recordHashes, buf, view, offset)));
  }

  get root(): string {
    return this.tree.root;
  }

  get length(): number {
    return this.tree.length;
  }

  /** Proof for the record at batch position `index`. */
  getProof(index: number): string[] {
    return this.tree.getProof(index);
  }
}

/** Root of a batch of record hashes (in batch order). */
export function batchRoot(recordHashes: readonly string[] | Uint8Array): string {
  return RecordBatchTree.of(recordHashes).root;
}
