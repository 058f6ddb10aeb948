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
  const n = recordHashes instanceof Uint8Array ? recordHashes.length / 32 : recordHashes.length;
  if (!Number.isInteger(n)) throw new MerkleError('record hashes must be a multiple of 32 bytes');
  const buf = new Uint8Array(n * 64);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < n; i++) {
    view.setUint32(i * 64 + 28, i);
    if (recordHashes instanceof Uint8Array) {
      buf.set(recordHashes.subarray(i * 32, i * 32 + 32), i * 64 + 32);
    } else if (!writeHex(recordHashes[i]!, buf, i * 64 + 32, 32)) {
      throw new MerkleError(`record hash ${i} is not a 32-byte hex string`);
    }
  }
  return buf;
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
    const encoded = encodeRecordLeaves(recordHashes);
    const n = encoded.length / 64;
    if (n === 0) throw new MerkleError('a batch needs at least one record');
    if (n > 0xffffffff) throw new MerkleError('a batch holds at most 2^32-1 records');
    return new RecordBatchTree(MerkleTree.fromLeafHashes(doubleHashLeaves(encoded, n, 64)));
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
