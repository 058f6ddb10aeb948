// Merkle bench: RewardTree (this sdk) vs @openzeppelin/merkle-tree StandardMerkleTree, same leaves.
// Run: pnpm --filter @openledger/sdk bench:merkle   (OZ_1M=1 also times OpenZeppelin at 1M leaves, ~2-3 min)
import { cpus, loadavg } from 'node:os';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { RewardTree, type RewardEntry } from '../src/merkle/index.js';
import { createKeccak256, keccakBackend } from '../src/merkle/keccak.js';

function entries(n: number): RewardEntry[] {
  let seed = 0x4f50454e;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const out: RewardEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const account = '0x' + [next(), next(), next(), next(), next()].map((w) => w.toString(16).padStart(8, '0')).join('');
    out[i] = { account, cumulativeAmount: BigInt(next()) * 1_000_000_007n * 1_000_000_000n };
  }
  return out;
}

let lastCpuMs = 0;
/** Wall time; the CPU time of the same call is kept in lastCpuMs (the machine may be shared). */
function time<T>(fn: () => T): [T, number] {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return [result, performance.now() - start];
}

function proofTimeUs(getProof: (i: number) => string[], n: number, samples: number): number {
  const start = performance.now();
  for (let k = 0; k < samples; k++) getProof((k * 7919) % n);
  return ((performance.now() - start) * 1000) / samples;
}

const all = entries(1_000_000);
const small = all.slice(0, 100_000);
console.log(`keccak backend: ${keccakBackend()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cpus`);

RewardTree.of(all.slice(0, 1000)); // warm up
const [ours100k, ours100kMs] = time(() => RewardTree.of(small));
console.log(`sdk RewardTree build 100k leaves: ${ours100kMs.toFixed(0)} ms (cpu ${lastCpuMs.toFixed(0)} ms)`);
const [ours1m, ours1mMs] = time(() => RewardTree.of(all));
console.log(`sdk RewardTree build 1M leaves: ${ours1mMs.toFixed(0)} ms (cpu ${lastCpuMs.toFixed(0)} ms)`);
console.log(`sdk RewardTree proof (1M leaves): ${proofTimeUs((i) => ours1m.getProof(i), all.length, 10_000).toFixed(1)} us/proof`);

const values = (list: RewardEntry[]): [string, string][] => list.map((e) => [e.account, e.cumulativeAmount.toString()]);
const [oz100k, oz100kMs] = time(() => StandardMerkleTree.of(values(small), ['address', 'uint256']));
console.log(`OpenZeppelin StandardMerkleTree build 100k leaves: ${oz100kMs.toFixed(0)} ms (${(oz100kMs / ours100kMs).toFixed(0)}x slower)`);
console.log(`OpenZeppelin proof (100k leaves): ${proofTimeUs((i) => oz100k.getProof(i), small.length, 1_000).toFixed(1)} us/proof`);
if (oz100k.root !== ours100k.root) throw new Error('roots differ at 100k');
console.log(`roots equal at 100k: ${oz100k.root}`);

if (process.env.OZ_1M) {
  const [oz1m, oz1mMs] = time(() => StandardMerkleTree.of(values(all), ['address', 'uint256']));
  console.log(`OpenZeppelin StandardMerkleTree build 1M leaves: ${oz1mMs.toFixed(0)} ms (${(oz1mMs / ours1mMs).toFixed(0)}x slower)`);
  if (oz1m.root !== ours1m.root) throw new Error('roots differ at 1M');
  console.log(`roots equal at 1M: ${oz1m.root}`);
}

{
  const data = new Uint8Array(64 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const stream = createKeccak256();
  const start = performance.now();
  for (let i = 0; i < data.length; i += 1 << 16) stream.update(data.subarray(i, i + (1 << 16)));
  stream.digest();
  console.log(`keccak256 stream (64 MiB in 64 KiB chunks): ${(64 / ((performance.now() - start) / 1000)).toFixed(0)} MiB/s`);
}
