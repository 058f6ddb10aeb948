import { MerkleError } from '../errors.js';
import { bytesToHex, hexToBytes } from './bytes.js';
import { compareWords, doubleHashLeaves, fillInternalNodes, keccak256Bytes, keccakWasm, wasmMemory, WASM_BASE } from './keccak.js';

/**
 * A Merkle tree with exactly the layout of `@openzeppelin/merkle-tree`'s StandardMerkleTree:
 * leaves sorted ascending by hash (stable), stored at the end of a flat array of 2n-1 nodes
 * (leaf i at index 2n-2-i), node i = keccak256(sort(node 2i+1, node 2i+2)); proofs are the sibling
 * path bottom-up, verified by OpenZeppelin's `MerkleProof.verify`.
 * Everything lives in one Uint8Array of 32-byte words.
 */
export class MerkleTree {
  /** (2n-1) × 32 bytes: index 0 is the root. */
  readonly nodes: Uint8Array;
  /** value index → tree index. */
  readonly treeIndices: Uint32Array;
  readonly length: number;

  private constructor(nodes: Uint8Array, treeIndices: Uint32Array) {
    this.nodes = nodes;
    this.treeIndices = treeIndices;
    this.length = treeIndices.length;
  }

  /**
   * Builds from leaf hashes (n × 32 bytes, value order). With `sortLeaves` (the default, as in
   * OpenZeppelin) leaves are ordered by hash; otherwise kept in value order.
   */
  static fromLeafHashes(leafHashes: Uint8Array, options: { sortLeaves?: boolean } = {}): MerkleTree {
    const n = leafHashes.length / 32;
    if (!Number.isInteger(n)) throw new MerkleError('leaf hashes must be a multiple of 32 bytes');
    if (n === 0) throw new MerkleError('a Merkle tree needs at least one leaf');
    if (n > 0x7fffffff) throw new MerkleError('too many leaves');
    const order = options.sortLeaves === false ? identity(n) : sortedOrder(leafHashes, n);
    const nodes = new Uint8Array((2 * n - 1) * 32);
    const treeIndices = new Uint32Array(n);
    const last = 2 * n - 2;
    // copy leaves as 8 × uint32 words (no subarray object per leaf)
    const aligned = leafHashes.byteOffset % 4 === 0 ? leafHashes : leafHashes.slice();
    const source = new Uint32Array(aligned.buffer, aligned.byteOffset, n * 8);
    const target = new Uint32Array(nodes.buffer);
    for (let leaf = 0; leaf < n; leaf++) {
      const valueIndex = order[leaf]!;
      const treeIndex = last - leaf;
      const s = valueIndex * 8;
      const t = treeIndex * 8;
      target[t] = source[s]!;
      target[t + 1] = source[s + 1]!;
      target[t + 2] = source[s + 2]!;
      target[t + 3] = source[s + 3]!;
      target[t + 4] = source[s + 4]!;
      target[t + 5] = source[s + 5]!;
      target[t + 6] = source[s + 6]!;
      target[t + 7] = source[s + 7]!;
      treeIndices[valueIndex] = treeIndex;
    }
    fillInternalNodes(nodes, n);
    return new MerkleTree(nodes, treeIndices);
  }

  /**
   * Builds from `count` abi-encoded leaf values of `stride` bytes each, which `encode` writes at
   * `offset` of `buffer`. With WebAssembly the whole build happens in the module's memory: values
   * are encoded in place, double-hashed, sorted, placed and hashed up without intermediate copies.
   */
  static fromEncodedLeaves(
    count: number,
    stride: number,
    encode: (buffer: Uint8Array, view: DataView, offset: number) => void,
    options: { sortLeaves?: boolean } = {},
  ): MerkleTree {
    if (count === 0) throw new MerkleError('a Merkle tree needs at least one leaf');
    const exports = keccakWasm();
    const treeBytes = (2 * count - 1) * 32;
    if (!exports || count * stride + treeBytes > 0x7fff0000) {
      const buffer = new Uint8Array(count * stride);
      encode(buffer, new DataView(buffer.buffer), 0);
      return MerkleTree.fromLeafHashes(doubleHashLeaves(buffer, count, stride), options);
    }
    const encoded = WASM_BASE; // later reused for the tree
    const leaves = encoded + Math.ceil(Math.max(count * stride, treeBytes) / 8) * 8;
    const orderAt = leaves + count * 32;
    const memory = wasmMemory(exports, orderAt + count * 4 - WASM_BASE);
    encode(memory, new DataView(memory.buffer), encoded);
    exports.leaves(encoded, count, stride, leaves);
    const order = options.sortLeaves === false ? identity(count) : sortedOrder(memory.subarray(leaves, leaves + count * 32), count);
    new Uint32Array(memory.buffer, orderAt, count).set(order);
    exports.place(leaves, orderAt, count, encoded);
    exports.nodes(encoded, count);
    const treeIndices = new Uint32Array(count);
    const last = 2 * count - 2;
    for (let leaf = 0; leaf < count; leaf++) treeIndices[order[leaf]!] = last - leaf;
    return new MerkleTree(memory.slice(encoded, encoded + treeBytes), treeIndices);
  }

  get root(): string {
    return bytesToHex(this.nodes, 0, 32);
  }

  /** The leaf hash of value `valueIndex`. */
  leafHash(valueIndex: number): string {
    return bytesToHex(this.nodes, this.treeIndexOf(valueIndex) * 32, 32);
  }

  treeIndexOf(valueIndex: number): number {
    if (!Number.isInteger(valueIndex) || valueIndex < 0 || valueIndex >= this.length) {
      throw new MerkleError(`value index ${valueIndex} is out of range [0, ${this.length})`);
    }
    return this.treeIndices[valueIndex]!;
  }

  /** Sibling hashes from the leaf up to (not including) the root. */
  getProof(valueIndex: number): string[] {
    let index = this.treeIndexOf(valueIndex);
    const proof: string[] = [];
    while (index > 0) {
      const sibling = index % 2 === 1 ? index + 1 : index - 1;
      proof.push(bytesToHex(this.nodes, sibling * 32, 32));
      index = (index - 1) >> 1;
    }
    return proof;
  }

  /** All nodes as hex, index 0 = root (OpenZeppelin's `tree` array). */
  nodeHexes(): string[] {
    const out = new Array<string>(this.nodes.length / 32);
    for (let i = 0; i < out.length; i++) out[i] = bytesToHex(this.nodes, i * 32, 32);
    return out;
  }
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/**
 * Value indices ordered by leaf hash, ties by value index (a stable sort, as Array#sort is).
 * An LSD radix sort (two 16-bit passes) on each hash's first 4 bytes; runs sharing those 4 bytes
 * are then re-sorted with the full 32-byte comparison.
 */
export function sortedOrder(hashes: Uint8Array, n: number): Uint32Array {
  const view = new DataView(hashes.buffer, hashes.byteOffset, hashes.byteLength);
  let keys = new Uint32Array(n);
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = view.getUint32(i * 32);
    order[i] = i;
  }
  let keysOut = new Uint32Array(n);
  let orderOut = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const at = counts[(key >>> shift) & 0xffff]!++;
      keysOut[at] = key;
      orderOut[at] = order[i]!;
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && keys[i] === keys[runStart]) continue;
    if (i - runStart > 1) {
      const run = Array.from(order.subarray(runStart, i));
      run.sort((a, b) => compareWords(hashes, a * 32, b * 32) || a - b);
      order.set(run, runStart);
    }
    runStart = i;
  }
  return order;
}

/** keccak256 of the sorted pair, as OpenZeppelin's `Hashes.commutativeKeccak256`. */
export function hashPair(a: string, b: string): string {
  const pair = new Uint8Array(64);
  const left = hexToBytes(a);
  const right = hexToBytes(b);
  if (left.length !== 32 || right.length !== 32) throw new MerkleError('proof nodes must be 32 bytes');
  const [first, second] = compareWords(new Uint8Array([...left, ...right]), 0, 32) <= 0 ? [left, right] : [right, left];
  pair.set(first, 0);
  pair.set(second, 32);
  return bytesToHex(keccak256Bytes(pair));
}

/** The root a leaf and its proof lead to (`MerkleProof.processProof`). */
export function processProof(leafHash: string, proof: readonly string[]): string {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leafHash.toLowerCase());
}

export function verifyProof(root: string, leafHash: string, proof: readonly string[]): boolean {
  return processProof(leafHash, proof) === root.toLowerCase();
}
