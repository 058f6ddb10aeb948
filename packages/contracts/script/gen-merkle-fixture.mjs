#!/usr/bin/env node
// Writes the Merkle fixtures the Solidity settlement tests verify against, with the same library the
// attribution worker uses (@openzeppelin/merkle-tree, StandardMerkleTree of (address, uint256)).
// Deterministic: accounts and amounts come from sha256 of a fixed seed, so reruns give the same files.
//   node script/gen-merkle-fixture.mjs            -> test/fixtures/merkle-small.json, merkle-100k.json,
//                                                    merkle-100k-indexed.json
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');
const ENCODING = ['address', 'uint256'];

/** 32 pseudo-random bytes for (label, i). */
function rand(label, i) {
  return createHash('sha256').update(`openledger-merkle-fixture/${label}/${i}`).digest();
}

function account(i) {
  return `0x${rand('account', i).subarray(0, 20).toString('hex')}`;
}

/** An amount in [min, min + span) wei. */
function amount(label, i, min, span) {
  return min + (BigInt(`0x${rand(label, i).toString('hex')}`) % span);
}

/** Two cumulative trees over the same accounts: epoch 2 adds a fresh increment to every epoch-1 amount. */
function buildTrees(count, min, span) {
  const epoch1 = [];
  const epoch2 = [];
  for (let i = 0; i < count; i++) {
    const a = account(i);
    const first = amount('epoch1', i, min, span);
    epoch1.push([a, first.toString()]);
    epoch2.push([a, (first + amount('epoch2', i, min, span)).toString()]);
  }
  return [StandardMerkleTree.of(epoch1, ENCODING), StandardMerkleTree.of(epoch2, ENCODING)];
}

function total(values) {
  return values.reduce((sum, [, v]) => sum + BigInt(v), 0n).toString();
}

function describe(trees, indexes) {
  const [t1, t2] = trees;
  const v1 = [...t1.entries()].map(([, v]) => v);
  const v2 = [...t2.entries()].map(([, v]) => v);
  // entries() yields in input order with their input index; getProof(i) takes that index.
  const values1 = [];
  const values2 = [];
  for (const [i, v] of t1.entries()) values1[i] = v;
  for (const [i, v] of t2.entries()) values2[i] = v;
  return {
    count: values1.length,
    epoch1: { root: t1.root, total: total(v1) },
    epoch2: { root: t2.root, total: total(v2) },
    leaves: indexes.map((i) => ({
      account: values1[i][0],
      amount1: values1[i][1],
      proof1: t1.getProof(i),
      amount2: values2[i][1],
      proof2: t2.getProof(i),
    })),
  };
}

function write(name, data) {
  writeFileSync(join(outDir, name), `${JSON.stringify(data, null, 1)}\n`);
  console.log(`${name}: ${data.count} leaves, ${data.leaves.length} with proofs, root ${data.epoch1.root}`);
}

// Small: every leaf with its proofs, for unit tests.
const small = buildTrees(8, 10n ** 18n, 10n ** 20n);
write('merkle-small.json', describe(small, [...Array(8).keys()]));

// 100,000 leaves, 64 random ones with proofs, for the gas figures.
const N = 100_000;
const big = buildTrees(N, 10n ** 15n, 10n ** 21n);
const picked = new Set();
for (let k = 0; picked.size < 64; k++) picked.add(Number(BigInt(`0x${rand('pick', k).toString('hex')}`) % BigInt(N)));
write('merkle-100k.json', describe(big, [...picked]));

// The same 100,000 epoch-1 amounts as (index, account, amount) leaves, for the bitmap-style reference
// distributor the gas tests measure side by side (test/settlement/BitmapDistributorReference.sol), with
// proofs for the same 64 picked leaves.
const indexedValues = [];
for (const [i, [a, v]] of big[0].entries()) indexedValues[i] = [i.toString(), a, v];
const indexed = StandardMerkleTree.of(indexedValues, ['uint256', 'address', 'uint256']);
const indexedData = {
  count: indexedValues.length,
  root: indexed.root,
  total: total(indexedValues.map(([, a, v]) => [a, v])),
  leaves: [...picked].map((i) => ({
    index: i,
    account: indexedValues[i][1],
    amount: indexedValues[i][2],
    proof: indexed.getProof(i),
  })),
};
writeFileSync(join(outDir, 'merkle-100k-indexed.json'), `${JSON.stringify(indexedData, null, 1)}\n`);
console.log(`merkle-100k-indexed.json: ${indexedData.count} leaves, ${indexedData.leaves.length} with proofs, root ${indexed.root}`);
