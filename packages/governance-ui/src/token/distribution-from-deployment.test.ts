// @vitest-environment node
import { computeSupplySchedule, parseDistributionConfig } from '@openledger/sdk';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployStack, startAnvil, type AnvilInstance } from '../../../sdk/src/testing.js';
import { distributionFromDeployment } from './distribution-from-deployment.js';

// vitest runs in the package directory
const contracts = resolve(process.cwd(), '../contracts');
const deployConfig = JSON.parse(readFileSync(resolve(contracts, 'config/deploy.local.json'), 'utf8'));
// A real deployment of the local config (the file the dev stack writes is not in a fresh checkout).
let anvil: AnvilInstance;
let deployment: Record<string, unknown>;
beforeAll(async () => {
  anvil = await startAnvil();
  deployment = (await deployStack(anvil.rpcUrl, { config: 'config/deploy.local.json' })) as Record<string, unknown>;
}, 300_000);
afterAll(async () => {
  await anvil?.stop();
});

describe('supply schedule from the deployment file', () => {
  it('gives the same month-by-month numbers as the sdk supply module on the deploy config', () => {
    const fromConfig = computeSupplySchedule({ config: parseDistributionConfig(deployConfig), months: 60 });
    const fromDeployment = computeSupplySchedule({ config: distributionFromDeployment(deployment).config, months: 60 });
    expect(fromDeployment.rows.map((r) => r.circulating)).toEqual(fromConfig.rows.map((r) => r.circulating));
    expect(fromDeployment.allocatedByBucket).toEqual(fromConfig.allocatedByBucket);
    expect(fromDeployment.rows[60]!.circulating).toBe(10n ** 27n);
  });

  it('says clearly when the deployment has no vesting block', () => {
    expect(() => distributionFromDeployment({ chainId: 1 })).toThrow(/no "vesting" block/);
  });
});
