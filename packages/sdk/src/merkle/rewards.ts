import { getAddress } from 'ethers';
import { MerkleError } from '../errors.js';
import { bytesToHex, writeHex, writeUint256 } from './bytes.js';
import { doubleHashLeaves } from './keccak.js';
import { MerkleTree } from './tree.js';

/** One leaf of an epoch's reward tree: the account's cumulative reward in OPEN wei. */
export interface RewardEntry {
  account: string;
  cumulativeAmount: bigint;
}

export const REWARD_LEAF_ENCODING = ['address', 'uint256'] as const;

/** abi.encode(address, uint256) of every entry into one buffer of n × 64 bytes. */
export function encodeRewardLeaves(entries: readonly RewardEntry[]): Uint8Array {
  const buf = new Uint8Array(entries.length * 64);
  encodeRewardLeavesInto(entries, buf, new DataView(buf.buffer), 0);
  return buf;
}

/** Same as {@link encodeRewardLeaves}, written at `offset` of `buf` (every byte of the n × 64 is set). */
export function encodeRewardLeavesInto(entries: readonly RewardEntry[], buf: Uint8Array, view: DataView, offset: number): void {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const at = offset + i * 64;
    view.setUint32(at, 0);
    view.setUint32(at + 4, 0);
    view.setUint32(at + 8, 0);
    if (typeof entry.account !== 'string' || !writeHex(entry.account, buf, at + 12, 20)) {
      throw new MerkleError(`entry ${i}: account ${JSON.stringify(entry.account)} is not an address`);
    }
    if (typeof entry.cumulativeAmount !== 'bigint' || !writeUint256(entry.cumulativeAmount, view, at + 32)) {
      throw new MerkleError(`entry ${i}: cumulativeAmount must be a uint256 bigint`);
    }
  }
}

/** `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`, as AttributionSettlement checks. */
export function rewardLeafHash(account: string, cumulativeAmount: bigint): string {
  return bytesToHex(doubleHashLeaves(encodeRewardLeaves([{ account, cumulativeAmount }]), 1, 64));
}

/** OpenZeppelin StandardMerkleTree `dump()` format, loadable with `StandardMerkleTree.load`. */
export interface StandardTreeDump<V> {
  format: 'standard-v1';
  leafEncoding: string[];
  tree: string[];
  values: { value: V; treeIndex: number }[];
}

/**
 * The epoch reward tree of `(address account, uint256 cumulativeAmount)` leaves: same root and
 * proofs as `StandardMerkleTree.of(entries, ['address', 'uint256'])`, built in one flat buffer.
 */
export class RewardTree {
  readonly entries: readonly RewardEntry[];
  readonly tree: MerkleTree;
  private accountIndex: Map<string, number> | undefined;

  private constructor(entries: readonly RewardEntry[], tree: MerkleTree) {
    this.entries = entries;
    this.tree = tree;
  }

  static of(entries: readonly RewardEntry[]): RewardTree {
    if (entries.length === 0) throw new MerkleError('a reward tree needs at least one entry');
    const tree = MerkleTree.fromEncodedLeaves(entries.length, 64, (buf, view, offset) => encodeRewardLeavesInto(entries, buf, view, offset));
    return new RewardTree(entries, tree);
  }

  get root(): string {
    return this.tree.root;
  }

  get length(): number {
    return this.entries.length;
  }

  getProof(index: number): string[] {
    return this.tree.getProof(index);
  }

  /** Index of the first entry for `account` (case-insensitive), or -1. */
  indexOf(account: string): number {
    if (!this.accountIndex) {
      this.accountIndex = new Map();
      this.entries.forEach((entry, i) => {
        const key = entry.account.toLowerCase();
        if (!this.accountIndex!.has(key)) this.accountIndex!.set(key, i);
      });
    }
    return this.accountIndex.get(account.toLowerCase()) ?? -1;
  }

  /** The claim arguments for `account`, or undefined when it has no leaf. */
  claimFor(account: string): { account: string; cumulativeAmount: bigint; proof: string[] } | undefined {
    const index = this.indexOf(account);
    if (index < 0) return undefined;
    const entry = this.entries[index]!;
    return { account: getAddress(entry.account), cumulativeAmount: entry.cumulativeAmount, proof: this.getProof(index) };
  }

  dump(): StandardTreeDump<[string, string]> {
    return {
      format: 'standard-v1',
      leafEncoding: [...REWARD_LEAF_ENCODING],
      tree: this.tree.nodeHexes(),
      values: this.entries.map((entry, i) => ({
        value: [getAddress(entry.account), entry.cumulativeAmount.toString()],
        treeIndex: this.tree.treeIndexOf(i),
      })),
    };
  }
}
