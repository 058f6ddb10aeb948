import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { randomBytes } from 'node:crypto';
import { createRecordHasher } from './record-hasher.js';
import { batchRoot, recordHash } from './records.js';

describe('createRecordHasher', () => {
  it('hashes records and builds batch roots exactly like recordHash/batchRoot and @openzeppelin/merkle-tree', async () => {
    const hasher = await createRecordHasher();
    for (const n of [1, 2, 3, 7, 64, 257]) {
      const records = Array.from({ length: n }, (_, i) => randomBytes(1 + ((i * 37) % 300)));
      const hashes = new Uint8Array(n * 32);
      records.forEach((r, i) => hasher.hashInto(r, hashes, i * 32));
      const hexes = records.map((r) => recordHash(r));
      expect(records.map((r) => hasher.recordHash(r))).toEqual(hexes);
      const root = hasher.batchRoot(hashes);
      expect(root).toBe(batchRoot(hexes));
      expect(root).toBe(StandardMerkleTree.of(hexes.map((h, i) => [i, h]), ['uint256', 'bytes32']).root);
    }
  });

  it('orders leaves sharing a long hash prefix by their full hash', async () => {
    const hasher = await createRecordHasher();
    // identical records give identical record hashes, so only the index separates their leaves
    const hashes = new Uint8Array(5 * 32);
    for (let i = 0; i < 5; i++) hasher.hashInto(new TextEncoder().encode('same'), hashes, i * 32);
    const hex = hasher.recordHash(new TextEncoder().encode('same'));
    expect(hasher.batchRoot(hashes)).toBe(batchRoot([hex, hex, hex, hex, hex]));
  });

  it('hashes a record fed in chunks like the one-shot hash', async () => {
    const hasher = await createRecordHasher();
    const record = randomBytes(100_000);
    const stream = await hasher.createStream();
    for (let i = 0; i < record.length; i += 7_000) stream.update(record.subarray(i, i + 7_000));
    expect(Buffer.from(stream.digest()).toString('hex')).toBe(recordHash(record).slice(2));
  });

  it('refuses an empty batch', async () => {
    const hasher = await createRecordHasher();
    expect(() => hasher.batchRoot(new Uint8Array(0))).toThrow('at least one record');
  });
});
