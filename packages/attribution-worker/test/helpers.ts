import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MaxUint256, parseEther, Wallet, type JsonRpcProvider } from 'ethers';
import {
  connectDeployment,
  signTypedDataPayload,
  spendingAuthorizationTypedData,
  type Deployment,
  type DeployedContracts,
} from '@openledger/sdk';
import type { AttributionSettlement } from '@openledger/sdk';
import { deployStack, startAnvil, type AnvilInstance } from '@openledger/sdk/testing';
import { openDatabase, type Database, type DatabaseHandle, type UsageEventJob } from '@openledger/service-kit';
import { createTestDatabase, type TestDatabase } from '@openledger/service-kit/testing';
import { Attributor } from '../src/attributor.js';
import { schema } from '../src/db/schema.js';
import { ChainSender } from '../src/settlement/chain-sender.js';
import { SettlementProvider } from '../src/settlement/provider.js';
import { Settler, type CrashPoint, type SettlementChain } from '../src/settlement/settler.js';
import { DEFAULT_SPAN_PARAMS } from '../src/span/attribute.js';
import { BuildPool } from '../src/span/build-pool.js';

export const MIGRATIONS = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'drizzle');

export async function openTestDb(prefix: string): Promise<{ test: TestDatabase; handle: DatabaseHandle<typeof schema>; db: Database }> {
  const test = await createTestDatabase(prefix);
  const handle = await openDatabase({ service: 'attribution-worker', url: test.url, dataDir: test.dataDir, migrationsFolder: MIGRATIONS, schema });
  return { test, handle, db: handle.db as unknown as Database };
}

export interface ChainFixture {
  anvil: AnvilInstance;
  deployment: Deployment;
  provider: JsonRpcProvider;
  operator: Wallet;
  contracts: DeployedContracts;
  chain: SettlementChain;
  chainId: number;
}

export async function startChain(): Promise<ChainFixture> {
  const anvil = await startAnvil();
  const deployment = await deployStack(anvil.rpcUrl, { config: 'config/deploy.local.json' });
  const provider = new SettlementProvider(anvil.rpcUrl, anvil.chainId);
  provider.pollingInterval = 100;
  const operator = new Wallet(anvil.accounts[0]!.privateKey, provider);
  const contracts = connectDeployment(deployment, provider);
  return {
    anvil,
    deployment,
    provider,
    operator,
    contracts,
    chainId: anvil.chainId,
    chain: {
      provider,
      operator,
      settler: operator,
      feeEscrow: deployment.contracts.FeeEscrow,
      settlement: deployment.contracts.AttributionSettlement,
    },
  };
}

/** Gives `payer` OPEN, deposits it in the escrow and signs a spending authorization for the operator. */
export async function fundPayer(fx: ChainFixture, payerKey: string, depositOpen: string, capOpen: string) {
  const payer = new Wallet(payerKey, fx.provider);
  const open = fx.contracts.OpenToken.connect(fx.operator);
  await (await open.transfer(payer.address, parseEther(depositOpen))).wait();
  await (await fx.contracts.OpenToken.connect(payer).approve(fx.deployment.contracts.FeeEscrow, MaxUint256)).wait();
  await (await fx.contracts.FeeEscrow.connect(payer).deposit(parseEther(depositOpen))).wait();
  const block = await fx.provider.getBlock('latest');
  const message = { payer: payer.address, operator: fx.operator.address, cap: parseEther(capOpen), expiry: BigInt(block!.timestamp + 30 * 86400) };
  const typed = spendingAuthorizationTypedData({ chainId: fx.chainId, escrow: fx.deployment.contracts.FeeEscrow, message });
  const signature = await signTypedDataPayload(payer, typed);
  return {
    payer,
    authorization: { payer: payer.address as `0x${string}`, operator: fx.operator.address as `0x${string}`, cap: message.cap.toString(), expiry: Number(message.expiry), signature: signature as `0x${string}` },
  };
}

export function usageJob(
  usageId: string,
  authorization: UsageEventJob['authorization'],
  outputText: string,
  feeWei: bigint,
  modelOwner: `0x${string}`,
  completedAt = new Date(Date.now() - 1000),
): UsageEventJob {
  return {
    usageId,
    completedAt: completedAt.toISOString(),
    caller: authorization.payer,
    adapterId: '1',
    adapterVersion: 1,
    baseModelId: 'base',
    modelOwner,
    datanetIds: ['1'],
    promptText: 'tell me',
    outputText,
    promptTokenIds: [],
    outputTokenIds: [],
    promptTokens: 2,
    completionTokens: 10,
    feeWei: feeWei.toString(),
    authorization,
  };
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeAttributor(db: Database, dir: string, pool = new BuildPool(0)): Attributor {
  return new Attributor({ db, indexDir: join(dir, 'index'), pool, params: { ...DEFAULT_SPAN_PARAMS, minSpanTokens: 4 } });
}

export function makeSettler(db: Database, fx: ChainFixture, dir: string, crash?: (p: CrashPoint) => void): Settler {
  return new Settler({
    db,
    chain: fx.chain,
    sender: new ChainSender(db, fx.provider, 1, 30_000),
    leavesDir: join(dir, 'leaves'),
    publicUrl: 'http://127.0.0.1:8082',
    crash,
  });
}

/** Contributors' part of a collected amount, as FeeEscrow splits it (default shares 10/30/50/10). */
export function contributorsPart(amount: bigint, bps = { protocol: 1000n, owner: 3000n, curators: 1000n }): bigint {
  return amount - (amount * bps.protocol) / 10000n - (amount * bps.owner) / 10000n - (amount * bps.curators) / 10000n;
}

/** What the RootPosted event says was posted for `epoch` (the contract stores roots by value, not by epoch). */
export async function postedRoot(settlement: AttributionSettlement, epoch: bigint): Promise<{ root: string; total: bigint; claimableAt: bigint }> {
  const [event] = await settlement.queryFilter(settlement.filters.RootPosted(epoch), 0);
  if (!event) throw new Error(`no RootPosted event for epoch ${epoch}`);
  return { root: event.args.root, total: event.args.total, claimableAt: event.args.claimableAt };
}
