/**
 * Reward tree bench (the sdk's RewardTree, which the settler uses) side by side with
 * @openzeppelin/merkle-tree in one run: build time at 1M accounts (sdk) and 100k (both, same root),
 * proof time, and the epoch distribution step for 1M accounts. Prints one line per figure.
 * Usage: tsx bench/merkle.bench.ts
 */
import { loadavg } from 'node:os';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { RewardTree, type RewardEntry } from '@openledger/sdk';
import { distributeEpoch } from '../src/settlement/distribution.js';

const print = (name: string, value: string): void => console.log(`${name.padEnd(44)} ${value}`);
function entries(n: number): RewardEntry[] {
  let seed = 12345;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, () => ({
    account: '0x' + Array.from({ length: 5 }, () => next().toString(16).padStart(8, '0')).join(''),
    cumulativeAmount: BigInt(next()) * 10n ** 12n,
  }));
}
function timed<T>(fn: () => T): [T, number, number] {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const r = fn();
  const used = process.cpuUsage(cpu);
  return [r, performance.now() - t, (used.user + used.system) / 1000];
}

print('load average', loadavg().map((l) => l.toFixed(1)).join(' '));
const million = entries(1_000_000);
const hundredK = million.slice(0, 100_000);
RewardTree.of(million.slice(0, 1000));
const [tree1m, ms1m, cpu1m] = timed(() => RewardTree.of(million));
print('sdk RewardTree build, 1M accounts', `${(ms1m / 1000).toFixed(2)} s wall, ${(cpu1m / 1000).toFixed(2)} s cpu`);
const [tree100k, ms100k] = timed(() => RewardTree.of(hundredK));
print('sdk RewardTree build, 100k accounts', `${(ms100k / 1000).toFixed(2)} s`);
const [oz, msOz, cpuOz] = timed(() => StandardMerkleTree.of(hundredK.map((e) => [e.account, e.cumulativeAmount.toString()]), ['address', 'uint256']));
print('@openzeppelin/merkle-tree build, 100k', `${(msOz / 1000).toFixed(2)} s wall, ${(cpuOz / 1000).toFixed(2)} s cpu`);
print('same root at 100k', String(oz.root === tree100k.root));
print('same proof at 100k (index 4242)', String(JSON.stringify(oz.getProof(4242)) === JSON.stringify(tree100k.getProof(4242))));
const samples = 100_000;
const [, msProof] = timed(() => {
  for (let k = 0; k < samples; k++) tree1m.getProof((k * 7919) % 1_000_000);
});
print('proof time, 1M-account tree', `${((msProof * 1000) / samples).toFixed(2)} µs per proof (${tree1m.getProof(0).length} hashes)`);
const [, msClaim] = timed(() => tree1m.claimFor(million[777_777]!.account));
print('first claimFor (builds account index), 1M', `${msClaim.toFixed(0)} ms`);
// Epoch distribution: 1M accounts over 10k inferences of 100 accounts each, one collection group.
const inferences = Array.from({ length: 10_000 }, (_, i) => ({
  feeWei: 10n ** 15n,
  scores: Array.from({ length: 100 }, (_, k) => ({ account: million[(i * 100 + k) % 1_000_000]!.account, score: BigInt(k + 1) })),
}));
const [dist, msDist] = timed(() => distributeEpoch([{ contributorsPart: 5n * 10n ** 18n, inferences }]));
print('distributeEpoch, 10k inferences → 1M accounts', `${(msDist / 1000).toFixed(2)} s (${dist.deltas.size} accounts, exact: ${dist.distributed === 5n * 10n ** 18n})`);
