import { keccak_256 } from '@noble/hashes/sha3';

/**
 * The two hot loops of a StandardMerkleTree, over flat buffers of 32-byte words.
 * (Backend: see keccak-wasm.ts when present; this file is the portable reference.)
 */

/** keccak256(keccak256(input_i)) for `count` inputs of `stride` bytes each; returns count × 32 bytes. */
export function doubleHashLeaves(encoded: Uint8Array, count: number, stride: number): Uint8Array {
  const out = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    out.set(keccak_256(keccak_256(encoded.subarray(i * stride, (i + 1) * stride))), i * 32);
  }
  return out;
}

export function keccak256Bytes(input: Uint8Array): Uint8Array {
  return keccak_256(input);
}

/** Byte-wise comparison of two 32-byte words inside `buf`. */
export function compareWords(buf: Uint8Array, a: number, b: number): number {
  for (let k = 0; k < 32; k++) {
    const d = buf[a + k]! - buf[b + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Fills the internal nodes of an OpenZeppelin-layout tree: `nodes` holds 2n-1 words, the leaves
 * already written at the end (leaf i at word 2n-2-i); node i = keccak256(sorted(child 2i+1, child 2i+2)).
 */
export function fillInternalNodes(nodes: Uint8Array, leafCount: number): void {
  const pair = new Uint8Array(64);
  for (let i = leafCount - 2; i >= 0; i--) {
    const left = (2 * i + 1) * 32;
    const right = left + 32;
    if (compareWords(nodes, left, right) <= 0) {
      pair.set(nodes.subarray(left, left + 32), 0);
      pair.set(nodes.subarray(right, right + 32), 32);
    } else {
      pair.set(nodes.subarray(right, right + 32), 0);
      pair.set(nodes.subarray(left, left + 32), 32);
    }
    nodes.set(keccak_256(pair), i * 32);
  }
}
