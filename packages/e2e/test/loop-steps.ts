// The participants' steps of the loop with the checks the end-to-end and fault tests share.
import OpenAI from 'openai';
import type { TestStack } from './harness.js';
// @ts-expect-error plain ESM module without types
import { OPEN, fundAccounts } from '../../../infra/dev/lib/actions.mjs';
// @ts-expect-error plain ESM module without types
import { eventually } from '../../../infra/dev/lib/clients.mjs';
// @ts-expect-error plain ESM module without types
import { accept, contribute, createDatanet, openCredit, publishAdapter } from '../../../infra/dev/lib/loop.mjs';

export const RECORDS = [
  { text: 'To reset your password open Settings then Security and press Reset password.' },
  { text: 'Refunds are processed within five business days after the returned item arrives.' },
  { text: 'The warranty covers manufacturing defects for two years from the date of purchase.' },
];

export interface LoopSetup {
  datanetId: string;
  contributionId: string;
  adapterId: string;
  model: string;
  callerKey: string;
  openai: OpenAI;
}

/** Every party's part up to a caller holding an API key with credit. */
export async function setUpLoop(t: TestStack): Promise<LoopSetup> {
  const { ctx, stack } = t;
  const { read, wallets } = ctx.actors;
  await fundAccounts(ctx.actors, { contributor: 1_000n * OPEN, curator: 100n * OPEN, caller: 1_000n * OPEN });

  const datanetId: string = await createDatanet(ctx, {
    owner: 'deployer',
    name: 'e2e support answers',
    description: 'end-to-end test datanet',
    schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
    minStake: 50n * OPEN,
    curators: ['curator'],
  });

  // contributor stakes and uploads; the service relays the signed contribution
  const contributed = await contribute(ctx, { contributor: 'contributor', datanetId, stakeAmount: 50n * OPEN, records: RECORDS });
  expect((await read.DatanetRegistry.stakeOf(datanetId, wallets.contributor.address)).amount).toBe(50n * OPEN);
  const onChain = await read.DatanetRegistry.contribution(contributed.contributionId);
  expect(onChain.contributor).toBe(wallets.contributor.address);
  expect(onChain.batchRoot).toBe(contributed.batchRoot);
  expect(Number(onChain.recordCount)).toBe(RECORDS.length);
  expect(Number(onChain.status)).toBe(1); // Pending

  // curator accepts
  await accept(ctx, { curator: 'curator', contributionId: contributed.contributionId, weight: RECORDS.length });
  expect(Number((await read.DatanetRegistry.contribution(contributed.contributionId)).status)).toBe(2); // Accepted

  // model owner uploads and registers an adapter trained on the datanet
  const owner = await ctx.gateway.createKey(wallets.modelOwner, 'e2e owner');
  const adapter = stack.models.adapters[0];
  const published = await publishAdapter(ctx, { owner: 'modelOwner', ownerKey: owner.key, baseModelId: stack.seed.baseModelId, adapter, datanetIds: [datanetId] });
  const version = await read.ModelRegistry.latestVersion(published.adapterId);
  expect(version.fileHash).toBe(adapter.sha256);
  expect(version.datanetIds.map(String)).toEqual([datanetId]);

  // caller deposits and authorizes the gateway's operator
  const caller = await ctx.gateway.createKey(wallets.caller, 'e2e caller');
  await openCredit(ctx, { caller: 'caller', apiKey: caller.key, depositAmount: 100n * OPEN, cap: 100n * OPEN, expiry: BigInt(Math.floor(Date.now() / 1000) + 86_400) });
  expect(await read.FeeEscrow.balanceOf(wallets.caller.address)).toBe(100n * OPEN);

  const openai = new OpenAI({ baseURL: `${t.config.urls.gateway}/v1`, apiKey: caller.key, maxRetries: 0, timeout: 120_000 });
  return { datanetId, contributionId: contributed.contributionId, adapterId: published.adapterId, model: published.model, callerKey: caller.key, openai };
}

/** One chat completion through the adapter with the official client; returns its fee in wei. */
export interface Citation {
  index: number;
  contribution_id: string;
  contributor: string;
  record_index: number;
  similarity: number;
}

/** One chat completion through the openai client; with `retrieval`, context from that datanet is retrieved and cited. */
export async function complete(
  setup: LoopSetup,
  prompt: string,
  retrieval?: { datanet_id: string; k?: number },
): Promise<{ feeWei: bigint; text: string; usageIds: string[]; citations: Citation[] }> {
  const completion = await setup.openai.chat.completions.create({
    model: setup.model,
    messages: [{ role: 'user', content: prompt }],
    max_tokens: 8,
    temperature: 0,
    // an OpenLedger extension field: the openai client sends unknown body fields as they are
    ...(retrieval ? { retrieval } : {}),
  } as Parameters<typeof setup.openai.chat.completions.create>[0] & { stream?: false });
  expect(completion.choices[0]?.message.role).toBe('assistant');
  expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  const billing = (completion as unknown as { openledger: { fee_wei: string; usage_ids: string[]; citations?: Citation[] } }).openledger;
  expect(BigInt(billing.fee_wei)).toBeGreaterThan(0n);
  return { feeWei: BigInt(billing.fee_wei), text: completion.choices[0]?.message.content ?? '', usageIds: billing.usage_ids, citations: billing.citations ?? [] };
}

/** Amounts FeeEscrow collected from `payer` (its Collected events), one per collection. */
export async function collectionsFrom(t: TestStack, payer: string): Promise<bigint[]> {
  const escrow = t.ctx.actors.read.FeeEscrow;
  const logs = await escrow.queryFilter(escrow.filters.Collected(payer), 0, 'latest');
  return logs.map((log: any) => BigInt(log.args.amount));
}

/**
 * What the contributor must receive for the collections `amounts` (one payer, one model owner, one
 * datanet with a single accepted contribution): for each collection, the contributors' part
 * FeeEscrow funds, i.e. the remainder after the floored protocol, owner and curator shares.
 */
export async function expectedContributorReward(t: TestStack, amounts: bigint[]): Promise<bigint> {
  const shares = await t.ctx.actors.read.FeeEscrow.feeShares();
  const part = (amount: bigint, bps: bigint) => (amount * bps) / 10_000n;
  return amounts.reduce(
    (sum, amount) =>
      sum + amount - part(amount, BigInt(shares.protocolBps)) - part(amount, BigInt(shares.modelOwnerBps)) - part(amount, BigInt(shares.curatorsBps)),
    0n,
  );
}

/** Waits until the worker has posted a root in which `account` has `cumulative` ≥ `atLeast`; returns the proof. */
export async function waitForProof(t: TestStack, account: string, atLeast: bigint, timeoutMs = 150_000): Promise<any> {
  return eventually(
    `a posted reward root giving ${account} at least ${atLeast} wei`,
    async () => {
      const proof = await t.ctx.attribution.proof(account);
      return BigInt(proof.cumulativeAmount) >= atLeast ? proof : undefined;
    },
    { timeoutMs, intervalMs: 1000 },
  );
}
