import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { Wallet, getAddress, hexlify, keccak256, randomBytes } from 'ethers';
import {
  MerkleTree,
  RecordBatchTree,
  RewardTree,
  batchLeafHash,
  batchRoot,
  processProof,
  recordHash,
  rewardLeafHash,
  verifyProof,
  type RewardEntry,
} from './index.js';
import { MerkleError } from '../errors.js';
import { disableKeccakWasm } from './keccak.js';

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function randomEntries(n: number, rand: () => number): RewardEntry[] {
  const entries: RewardEntry[] = [];
  for (let i = 0; i < n; i++) {
    const account = hexlify(randomBytes(20));
    const big = rand() < 0.3;
    const amount = big ? BigInt(keccak256(randomBytes(8))) : BigInt(Math.floor(rand() * 1e15)) * 10n ** 3n;
    entries.push({ account: rand() < 0.5 ? account : getAddress(account), cumulativeAmount: amount });
  }
  return entries;
}

describe('RewardTree matches @openzeppelin/merkle-tree', () => {
  const rand = seeded(42);
  for (const n of [1, 2, 3, 4, 5, 7, 16, 33, 100, 257]) {
    test(`${n} random (address,uint256) leaves: same root, tree, proofs`, () => {
      const entries = randomEntries(n, rand);
      if (n > 10) entries.push({ ...entries[3]! }); // a duplicate leaf keeps OpenZeppelin's stable order
      const oz = StandardMerkleTree.of(
        entries.map((e) => [e.account, e.cumulativeAmount.toString()]),
        ['address', 'uint256'],
      );
      const ours = RewardTree.of(entries);
      expect(ours.root).toBe(oz.root);
      expect(ours.tree.nodeHexes()).toEqual(oz.dump().tree);
      for (let i = 0; i < entries.length; i++) {
        expect(ours.getProof(i)).toEqual(oz.getProof(i));
        expect(ours.tree.leafHash(i)).toBe(oz.leafHash([entries[i]!.account, entries[i]!.cumulativeAmount.toString()]));
        expect(verifyProof(ours.root, ours.tree.leafHash(i), ours.getProof(i))).toBe(true);
      }
      const dump = ours.dump();
      expect(StandardMerkleTree.load(dump as never).root).toBe(oz.root);
    });
  }

  test('leaf hash and claim data for one account', () => {
    const entries = randomEntries(10, rand);
    const tree = RewardTree.of(entries);
    const target = entries[6]!;
    const claim = tree.claimFor(target.account.toUpperCase().replace('0X', '0x'))!;
    expect(claim.cumulativeAmount).toBe(target.cumulativeAmount);
    expect(processProof(rewardLeafHash(target.account, target.cumulativeAmount), claim.proof)).toBe(tree.root);
    expect(tree.claimFor(Wallet.createRandom().address)).toBeUndefined();
  });

  test('bad input is refused with a clear error', () => {
    expect(() => RewardTree.of([])).toThrow(MerkleError);
    expect(() => RewardTree.of([{ account: '0x1234', cumulativeAmount: 1n }])).toThrow(/entry 0: account/);
    expect(() => RewardTree.of([{ account: hexlify(randomBytes(20)), cumulativeAmount: -1n }])).toThrow(/uint256/);
    expect(() => RewardTree.of([{ account: hexlify(randomBytes(20)), cumulativeAmount: 1n << 256n }])).toThrow(/uint256/);
    expect(() => RewardTree.of(randomEntries(3, rand)).getProof(3)).toThrow(/out of range/);
  });

  test('hash prefixes that collide are ordered by the full hash', () => {
    // Leaf hashes sharing their first 8 bytes exercise the full-comparison fix-up of the fast sort.
    const leaves = new Uint8Array(6 * 32);
    for (let i = 0; i < 6; i++) {
      leaves.set(randomBytes(32), i * 32);
      leaves.fill(0xab, i * 32, i * 32 + 8);
    }
    const ours = MerkleTree.fromLeafHashes(leaves);
    const hexes = Array.from({ length: 6 }, (_, i) => leaves.subarray(i * 32, i * 32 + 32));
    const sorted = [...hexes].sort((a, b) => Buffer.compare(a, b)).map((b) => hexlify(b));
    const leafOrder = ours.nodeHexes().slice(5).reverse();
    expect(leafOrder).toEqual(sorted);
  });
});

describe('record batches', () => {
  test('batchRoot equals StandardMerkleTree over (uint256 index, bytes32 recordHash)', () => {
    const records = Array.from({ length: 37 }, (_, i) => JSON.stringify({ i, text: `record ${i}` }));
    const hashes = records.map((r) => recordHash(r));
    expect(hashes[0]).toBe(keccak256(new TextEncoder().encode(records[0]!)));
    const oz = StandardMerkleTree.of(
      hashes.map((h, i) => [i, h]),
      ['uint256', 'bytes32'],
    );
    expect(batchRoot(hashes)).toBe(oz.root);
    const tree = RecordBatchTree.of(hashes);
    for (let i = 0; i < hashes.length; i++) {
      expect(tree.getProof(i)).toEqual(oz.getProof(i));
      expect(verifyProof(tree.root, batchLeafHash(i, hashes[i]!), tree.getProof(i))).toBe(true);
    }
    const flat = new Uint8Array(hashes.length * 32);
    hashes.forEach((h, i) => flat.set(Buffer.from(h.slice(2), 'hex'), i * 32));
    expect(batchRoot(flat)).toBe(oz.root);
  });

  test('an empty batch or a malformed hash is refused', () => {
    expect(() => batchRoot([])).toThrow(/at least one record/);
    expect(() => batchRoot(['0x1234'])).toThrow(/record hash 0/);
  });
});

describe('portable path (no WebAssembly)', () => {
  afterAll(() => disableKeccakWasm(false));
  test('same roots and proofs as the WebAssembly path and OpenZeppelin', () => {
    const entries = randomEntries(300, seeded(7));
    const fast = RewardTree.of(entries);
    disableKeccakWasm();
    const slow = RewardTree.of(entries);
    expect(slow.root).toBe(fast.root);
    expect(slow.getProof(123)).toEqual(fast.getProof(123));
    const hashes = entries.map((e) => recordHash(e.account));
    expect(batchRoot(hashes)).toBe(StandardMerkleTree.of(hashes.map((h, i) => [i, h]), ['uint256', 'bytes32']).root);
  });
});

test('sortLeaves: false keeps value order like OpenZeppelin', () => {
  const leaves = Array.from({ length: 9 }, () => hexlify(randomBytes(32)));
  const flat = new Uint8Array(9 * 32);
  leaves.forEach((l, i) => flat.set(Buffer.from(l.slice(2), 'hex'), i * 32));
  const ours = MerkleTree.fromLeafHashes(flat, { sortLeaves: false });
  const encoded = MerkleTree.fromEncodedLeaves(9, 32, (buf, _view, offset) => buf.set(flat, offset), { sortLeaves: false });
  expect(encoded.nodeHexes().slice(8)).not.toEqual(ours.nodeHexes().slice(8)); // encoded leaves are double-hashed
  expect(ours.nodeHexes().slice(8).reverse()).toEqual(leaves);
});
