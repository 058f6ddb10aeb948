import { keccak_256 } from '@noble/hashes/sha3';
import { KECCAK_WASM_BASE64, KECCAK_WASM_SCRATCH_END } from './keccak-wasm.generated.js';

/**
 * keccak256 and the two hot loops of a StandardMerkleTree over flat buffers of 32-byte words.
 * They run in a 1.5 KB WebAssembly module (scripts/build-keccak-wasm.mjs: the state lives in 25
 * i64 locals, one call per batch, no allocation per hash); where WebAssembly is unavailable the
 * same functions run on @noble/hashes. Tests check both against @noble/hashes and OpenZeppelin.
 */
export interface KeccakExports {
  memory: WebAssembly.Memory;
  keccak(input: number, length: number, output: number): void;
  leaves(input: number, count: number, stride: number, output: number): void;
  nodes(tree: number, leafCount: number): void;
  place(leaves: number, order: number, count: number, tree: number): void;
  absorb(state: number, input: number, blocks: number): void;
}

let wasm: KeccakExports | null | undefined;
const BASE = KECCAK_WASM_SCRATCH_END;
/** First byte of the module's memory free for callers of {@link wasmMemory}. */
export const WASM_BASE = BASE;
/** Leaves hashed per WebAssembly call: bounds the module's memory while hashing many leaves. */
const LEAF_CHUNK = 1 << 16;
/** Inputs above this go to @noble/hashes (the module hashes one contiguous buffer). */
const MAX_WASM_INPUT = 1 << 20;

/** The WebAssembly exports, or null where WebAssembly cannot be used. */
export function keccakWasm(): KeccakExports | null {
  return loadWasm();
}

function loadWasm(): KeccakExports | null {
  if (wasm !== undefined) return wasm;
  try {
    const binary = Uint8Array.from(atob(KECCAK_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), {});
    wasm = instance.exports as unknown as KeccakExports;
  } catch {
    wasm = null; // e.g. a CSP without 'wasm-unsafe-eval': stay on the portable path
  }
  return wasm;
}

/** Uses the portable implementation only (tests compare both paths). */
export function disableKeccakWasm(disabled = true): void {
  wasm = disabled ? null : undefined;
}

export function keccakBackend(): 'wasm' | 'js' {
  return loadWasm() ? 'wasm' : 'js';
}

/** The module's memory, grown so that `bytes` bytes from {@link WASM_BASE} fit. */
export function wasmMemory(exports: KeccakExports, bytes: number): Uint8Array {
  return memoryFor(exports, bytes);
}

function memoryFor(exports: KeccakExports, bytes: number): Uint8Array {
  const needed = BASE + bytes;
  const have = exports.memory.buffer.byteLength;
  if (needed > have) exports.memory.grow(Math.ceil((needed - have) / 65536));
  return new Uint8Array(exports.memory.buffer);
}

export function keccak256Bytes(input: Uint8Array): Uint8Array {
  const exports = loadWasm();
  if (!exports || input.length > MAX_WASM_INPUT) return keccak_256(input);
  const memory = memoryFor(exports, input.length + 32);
  memory.set(input, BASE + 32);
  exports.keccak(BASE + 32, input.length, BASE);
  return memory.slice(BASE, BASE + 32);
}

/** keccak256 of `input` written into `out` at `offset` (no allocation on the WebAssembly path). */
export function keccak256Into(input: Uint8Array, out: Uint8Array, offset: number): void {
  const exports = loadWasm();
  if (!exports || input.length > MAX_WASM_INPUT) {
    out.set(keccak_256(input), offset);
    return;
  }
  const memory = memoryFor(exports, input.length + 32);
  memory.set(input, BASE + 32);
  exports.keccak(BASE + 32, input.length, BASE);
  out.set(memory.subarray(BASE, BASE + 32), offset);
}

/** keccak256(keccak256(input_i)) for `count` inputs of `stride` bytes each; returns count × 32 bytes. */
export function doubleHashLeaves(encoded: Uint8Array, count: number, stride: number): Uint8Array {
  const out = new Uint8Array(count * 32);
  const exports = loadWasm();
  if (!exports || stride > MAX_WASM_INPUT) {
    for (let i = 0; i < count; i++) out.set(keccak_256(keccak_256(encoded.subarray(i * stride, (i + 1) * stride))), i * 32);
    return out;
  }
  for (let first = 0; first < count; first += LEAF_CHUNK) {
    const n = Math.min(LEAF_CHUNK, count - first);
    const inputBytes = n * stride;
    const outPtr = BASE + Math.ceil(inputBytes / 8) * 8;
    const memory = memoryFor(exports, outPtr - BASE + n * 32);
    memory.set(encoded.subarray(first * stride, first * stride + inputBytes), BASE);
    exports.leaves(BASE, n, stride, outPtr);
    out.set(memory.subarray(outPtr, outPtr + n * 32), first * 32);
  }
  return out;
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
  const exports = loadWasm();
  if (exports) {
    const memory = memoryFor(exports, nodes.length);
    memory.set(nodes, BASE);
    exports.nodes(BASE, leafCount);
    nodes.set(memory.subarray(BASE, BASE + (leafCount - 1) * 32));
    return;
  }
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

/** An incremental keccak256 (for inputs too large to hold in memory, e.g. whole uploaded files). */
export interface Keccak256Stream {
  update(chunk: Uint8Array): Keccak256Stream;
  /** The hash; the stream cannot be used afterwards. */
  digest(): Uint8Array;
}

const RATE = 136;
/** Bytes of input absorbed per WebAssembly call (a multiple of the rate, ~64 KiB). */
const STREAM_PIECE = RATE * 480;

export function createKeccak256(): Keccak256Stream {
  const exports = loadWasm();
  if (!exports) {
    const hash = keccak_256.create();
    return {
      update(chunk) {
        hash.update(chunk);
        return this;
      },
      digest: () => hash.digest(),
    };
  }
  const state = new Uint8Array(200);
  const pending = new Uint8Array(RATE);
  let pendingLength = 0;
  let finished = false;
  const absorb = (data: Uint8Array, blocks: number): void => {
    const memory = memoryFor(exports, 200 + blocks * RATE);
    memory.set(state, BASE);
    memory.set(data.subarray(0, blocks * RATE), BASE + 200);
    exports.absorb(BASE, BASE + 200, blocks);
    state.set(memory.subarray(BASE, BASE + 200));
  };
  return {
    update(chunk) {
      if (finished) throw new Error('keccak256 stream already digested');
      let offset = 0;
      if (pendingLength > 0) {
        const take = Math.min(RATE - pendingLength, chunk.length);
        pending.set(chunk.subarray(0, take), pendingLength);
        pendingLength += take;
        offset = take;
        if (pendingLength < RATE) return this;
        absorb(pending, 1);
        pendingLength = 0;
      }
      while (chunk.length - offset >= RATE) {
        const blocks = Math.min(STREAM_PIECE, chunk.length - offset) / RATE | 0;
        absorb(chunk.subarray(offset, offset + blocks * RATE), blocks);
        offset += blocks * RATE;
      }
      pending.set(chunk.subarray(offset), 0);
      pendingLength = chunk.length - offset;
      return this;
    },
    digest() {
      if (finished) throw new Error('keccak256 stream already digested');
      finished = true;
      pending.fill(0, pendingLength);
      pending[pendingLength]! ^= 0x01;
      pending[RATE - 1]! ^= 0x80;
      absorb(pending, 1);
      return state.slice(0, 32);
    },
  };
}
