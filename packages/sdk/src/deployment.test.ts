import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { CONTRACT_NAMES, parseDeployment } from './deployment.js';
import { DeploymentError } from './errors.js';
import { loadDeployment } from './node.js';

const contracts = Object.fromEntries(CONTRACT_NAMES.map((name) => [name, Wallet.createRandom().address.toLowerCase()]));
const valid = { chainId: 31337, startBlock: 3, contracts, tge: 1700000000 };

test('parses a deployment, checksums addresses and keeps extra fields', () => {
  const deployment = parseDeployment(valid);
  expect(deployment.chainId).toBe(31337);
  expect(deployment.contracts.DatanetRegistry).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(deployment.contracts.DatanetRegistry).not.toBe(contracts.DatanetRegistry);
  expect(deployment.contracts.DatanetRegistry.toLowerCase()).toBe(contracts.DatanetRegistry);
  expect(deployment.tge).toBe(1700000000);
});

test('names the missing or malformed field', () => {
  const { FeeEscrow: _, ...withoutEscrow } = contracts;
  expect(() => parseDeployment({ ...valid, contracts: withoutEscrow })).toThrow(/"contracts.FeeEscrow" is missing/);
  expect(() => parseDeployment({ ...valid, startBlock: undefined })).toThrow(/"startBlock" is missing/);
  expect(() => parseDeployment({ ...valid, chainId: -1 })).toThrow(/"chainId"/);
  expect(() => parseDeployment({ ...valid, contracts: { ...contracts, OpenToken: '0x12' } })).toThrow(/"contracts.OpenToken" must be an address/);
  try {
    parseDeployment({ chainId: 1, startBlock: 0 });
  } catch (error) {
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as DeploymentError).field).toBe('contracts');
  }
  expect(() => parseDeployment([])).toThrow(DeploymentError);
  expect(() => parseDeployment({ ...valid, contracts: { ...contracts, FeeEscrow: `0x${'0'.repeat(40)}` } })).toThrow(/"contracts.FeeEscrow" is the zero address/);
});

test('loadDeployment reads <chainId>.json or a path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-deployments-'));
  writeFileSync(join(dir, '31337.json'), JSON.stringify(valid));
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...valid, chainId: 10 }));
  writeFileSync(join(dir, '10.json'), JSON.stringify(valid));
  writeFileSync(join(dir, 'broken.json'), '{');
  expect((await loadDeployment(31337, { deploymentsDir: dir })).startBlock).toBe(3);
  expect((await loadDeployment(join(dir, 'wrong.json'))).chainId).toBe(10);
  await expect(loadDeployment(10, { deploymentsDir: dir })).rejects.toThrow(/"chainId" is 31337, expected 10/);
  await expect(loadDeployment(5, { deploymentsDir: dir })).rejects.toThrow(/no deployment for chain 5/);
  await expect(loadDeployment(join(dir, 'broken.json'))).rejects.toThrow(/not valid JSON/);
});
