import hashWasm from 'hash-wasm';
import { MerkleError } from '../errors.js';
import { bytesToHex } from './bytes.js';
import { compareWords } from './keccak.js';

/**
 * A fast (WebAssembly keccak) twin of `recordHash` and `batchRoot` from records.ts, for services that
 * hash millions of records: the same bytes in, the same hashes and the same OpenZeppelin
 * StandardMerkleTree root out (record-hasher.test.ts checks both against the reference code).
 * `hash-wasm` is a dependency of the packages that use this file.
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
  const keccak = await hashWasm.createKeccak(256);
  const hashInto = (input: Uint8Array, out: Uint8Array, offset: number): void => {
    keccak.init();
    keccak.update(input);
    out.set(keccak.digest('binary'), offset);
  };
  return {
    hashInto,
    recordHash(record) {
      const out = new Uint8Array(32);
      hashInto(record, out, 0);
      return bytesToHex(out);
    },
    async createStream() {
      const stream = await hashWasm.createKeccak(256);
      stream.init();
      return { update: (chunk) => void stream.update(chunk), digest: () => stream.digest('binary') };
    },
    batchRoot(recordHashes) {
      const n = recordHashes.length / 32;
      if (!Number.isInteger(n)) throw new MerkleError('record hashes must be a multiple of 32 bytes');
      if (n === 0) throw new MerkleError('a batch needs at least one record');
      if (n > 0xffffffff) throw new MerkleError('a batch holds at most 2^32-1 records');
      // leaf_i = keccak256(keccak256(abi.encode(uint256 i, bytes32 hash_i)))
      const leaves = new Uint8Array(n * 32);
      const encoded = new Uint8Array(64);
      const view = new DataView(encoded.buffer);
      const inner = new Uint8Array(32);
      for (let i = 0; i < n; i++) {
        view.setUint32(28, i);
        encoded.set(recordHashes.subarray(i * 32, i * 32 + 32), 32);
        hashInto(encoded, inner, 0);
        hashInto(inner, leaves, i * 32);
      }
      return bytesToHex(treeRoot(leaves, n, hashInto), 0, 32);
    },
  };
}

/** OpenZeppelin layout: leaves sorted by hash (stable), node i = keccak(sorted(2i+1, 2i+2)); returns the root word. */
function treeRoot(leaves: Uint8Array, n: number, hashInto: RecordHasher['hashInto']): Uint8Array {
  const order = sortedOrder(leaves, n);
  const nodes = new Uint8Array((2 * n - 1) * 32);
  const last = 2 * n - 2;
  for (let leaf = 0; leaf < n; leaf++) {
    const v = order[leaf]!;
    nodes.set(leaves.subarray(v * 32, v * 32 + 32), (last - leaf) * 32);
  }
  const pair = new Uint8Array(64);
  for (let i = n - 2; i >= 0; i--) {
    const left = (2 * i + 1) * 32;
    const right = left + 32;
    const [a, b] = compareWords(nodes, left, right) <= 0 ? [left, right] : [right, left];
    pair.set(nodes.subarray(a, a + 32), 0);
    pair.set(nodes.subarray(b, b + 32), 32);
    hashInto(pair, nodes, i * 32);
  }
  return nodes.subarray(0, 32);
}

/** Value indices ordered by leaf hash, ties by index (one native sort on prefix|index, then fix prefix collisions). */
function sortedOrder(hashes: Uint8Array, n: number): Uint32Array {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const shift = BigInt(indexBits);
  const keys = new BigUint64Array(n);
  const view = new DataView(hashes.buffer, hashes.byteOffset, hashes.byteLength);
  for (let i = 0; i < n; i++) keys[i] = ((view.getBigUint64(i * 32) >> shift) << shift) | BigInt(i);
  keys.sort();
  const mask = (1n << shift) - 1n;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = Number(keys[i]! & mask);
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && keys[i]! >> shift === keys[runStart]! >> shift) continue;
    if (i - runStart > 1) {
      const run = Array.from(order.subarray(runStart, i));
      run.sort((a, b) => compareWords(hashes, a * 32, b * 32) || a - b);
      order.set(run, runStart);
    }
    runStart = i;
  }
  return order;
}
