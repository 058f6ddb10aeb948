import { keccak_256 } from '@noble/hashes/sha3';
import { randomBytes } from 'ethers';
import { createKeccak256, disableKeccakWasm, doubleHashLeaves, fillInternalNodes, keccak256Bytes, keccak256Into, keccakBackend } from './keccak.js';

afterEach(() => disableKeccakWasm(false));

test('the WebAssembly keccak256 equals @noble/hashes for every length around the 136-byte rate', () => {
  expect(keccakBackend()).toBe('wasm');
  const lengths = [0, 1, 31, 32, 33, 63, 64, 65, 134, 135, 136, 137, 271, 272, 273, 1000, 4096, 100_003];
  for (const length of lengths) {
    const input = randomBytes(length);
    expect(Buffer.from(keccak256Bytes(input)).toString('hex')).toBe(Buffer.from(keccak_256(input)).toString('hex'));
    const out = new Uint8Array(40);
    keccak256Into(input, out, 5);
    expect(Buffer.from(out.subarray(5, 37))).toEqual(Buffer.from(keccak_256(input)));
  }
  expect(Buffer.from(keccak256Bytes(new Uint8Array(0))).toString('hex')).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  expect(Buffer.from(keccak256Bytes(randomBytes(2 << 20))).length).toBe(32);
});

test('batched leaves and internal nodes equal the portable path', () => {
  const count = 70_000; // more than one WebAssembly chunk
  const encoded = randomBytes(count * 64);
  const fast = doubleHashLeaves(encoded, count, 64);
  const tree = new Uint8Array((2 * 300 - 1) * 32);
  tree.set(fast.subarray(0, 300 * 32), 299 * 32);
  const treeCopy = tree.slice();
  fillInternalNodes(tree, 300);
  disableKeccakWasm();
  expect(keccakBackend()).toBe('js');
  const slowSample = doubleHashLeaves(encoded.subarray(0, 500 * 64), 500, 64);
  expect(Buffer.from(fast.subarray(0, 500 * 32))).toEqual(Buffer.from(slowSample));
  const lastSlow = doubleHashLeaves(encoded.subarray((count - 3) * 64), 3, 64);
  expect(Buffer.from(fast.subarray((count - 3) * 32))).toEqual(Buffer.from(lastSlow));
  fillInternalNodes(treeCopy, 300);
  expect(Buffer.from(tree)).toEqual(Buffer.from(treeCopy));
  const odd = randomBytes(7 * 33);
  disableKeccakWasm(false);
  const oddFast = doubleHashLeaves(odd, 7, 33);
  disableKeccakWasm();
  expect(Buffer.from(oddFast)).toEqual(Buffer.from(doubleHashLeaves(odd, 7, 33)));
});

test('the streaming keccak256 equals the one-shot hash for any chunking, on both paths', () => {
  for (const wasmOn of [true, false]) {
    disableKeccakWasm(!wasmOn);
    for (const length of [0, 1, 135, 136, 137, 272, 65_280, 200_003]) {
      const input = randomBytes(length);
      const expected = Buffer.from(keccak_256(input)).toString('hex');
      for (const chunk of [1, 7, 136, 1000, 70_000]) {
        if (length > 20_000 && chunk < 1000) continue;
        const stream = createKeccak256();
        for (let i = 0; i < length; i += chunk) stream.update(input.subarray(i, i + chunk));
        expect(Buffer.from(stream.digest()).toString('hex')).toBe(expected);
      }
    }
  }
  disableKeccakWasm(false);
  const stream = createKeccak256();
  stream.digest();
  expect(() => stream.digest()).toThrow(/already digested/);
});
