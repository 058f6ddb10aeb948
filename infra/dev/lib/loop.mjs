// The steps of the OpenLedger loop as the participants take them through the services and the
// chain. Used by the dev stack's demo seed and by the end-to-end test (which adds the assertions).
import { readFile } from 'node:fs/promises';
import { deposit, registerAdapter, signSpendingAuthorization, stake } from './actions.mjs';
import { eventually, sendReturned } from './clients.mjs';

/** The datanet owner creates a datanet through datanet-service (metadata stored there) and the chain. */
export async function createDatanet(ctx, { owner, name, description, schema, minStake, curators }) {
  const wallet = ctx.actors.wallets[owner];
  const token = await ctx.datanet.signIn(wallet);
  const created = await ctx.datanet.createDatanet(token, {
    name,
    description,
    schema,
    minStake: minStake.toString(),
    curators: curators.map((role) => ctx.actors.wallets[role].address),
  });
  const receipt = await sendReturned(wallet, created.transaction, 'createDatanet');
  const registry = ctx.actors.read.DatanetRegistry;
  let datanetId;
  for (const entry of receipt.logs) {
    try {
      const parsed = registry.interface.parseLog(entry);
      if (parsed?.name === 'DatanetCreated') datanetId = parsed.args.datanetId.toString();
    } catch {
      // not the registry's
    }
  }
  if (!datanetId) throw new Error('createDatanet: no DatanetCreated event');
  await eventually(`datanet ${datanetId} mirrored by datanet-service`, () => ctx.datanet.datanet(datanetId), { timeoutMs: 60_000 });
  return datanetId;
}

/**
 * A contributor stakes the datanet's minimum, uploads JSONL records, signs the EIP-712 Contribute
 * payload and has datanet-service relay it. Returns the on-chain contribution id.
 */
export async function contribute(ctx, { contributor, datanetId, stakeAmount, records }) {
  const wallet = ctx.actors.wallets[contributor];
  const staked = await ctx.actors.read.DatanetRegistry.stakeOf(datanetId, wallet.address);
  if (staked.amount < stakeAmount) await stake(ctx.actors, contributor, datanetId, stakeAmount - staked.amount);
  const token = await ctx.datanet.signIn(wallet);
  const batch = await ctx.datanet.uploadJsonl(token, datanetId, records);
  const { domain, types, message } = batch.typedData;
  const { EIP712Domain: _domainType, ...signTypes } = types;
  const signature = await wallet.signTypedData(domain, signTypes, message);
  await ctx.datanet.relay(batch.batchId, { signature, nonce: String(message.nonce), deadline: String(message.deadline) });
  const submitted = await eventually(
    `batch ${batch.batchId} submitted on chain`,
    async () => {
      const view = await ctx.datanet.batch(batch.batchId);
      if (view.status === 'failed') throw new Error(`relay failed: ${view.error}`);
      return view.contributionId ? view : undefined;
    },
    { timeoutMs: 90_000 },
  );
  return { contributionId: String(submitted.contributionId), batchId: batch.batchId, batchRoot: batch.batchRoot, recordCount: records.length };
}

/**
 * A curator (who must hold the datanet's minimum stake too) accepts through the review endpoint,
 * which checks the rules live, and sends the call.
 */
export async function accept(ctx, { curator, contributionId, weight }) {
  const wallet = ctx.actors.wallets[curator];
  const { datanetId } = await ctx.actors.read.DatanetRegistry.contribution(contributionId);
  const { minStake } = await ctx.actors.read.DatanetRegistry.datanet(datanetId);
  const staked = await ctx.actors.read.DatanetRegistry.stakeOf(datanetId, wallet.address);
  if (staked.amount < minStake) await stake(ctx.actors, curator, datanetId, minStake - staked.amount);
  const token = await ctx.datanet.signIn(wallet);
  const reviewed = await ctx.datanet.review(token, contributionId, { decision: 'accept', weight: String(weight) });
  await sendReturned(wallet, reviewed.transaction, `accept contribution ${contributionId}`);
  await eventually(
    `contribution ${contributionId} mirrored as accepted`,
    async () => (await ctx.datanet.contribution(contributionId)).status === 'accepted',
    { timeoutMs: 60_000 },
  );
}

/**
 * The model owner uploads an adapter GGUF to the gateway (content-addressed), registers it on the
 * ModelRegistry with the file's sha256, and waits until the gateway serves it.
 */
export async function publishAdapter(ctx, { owner, ownerKey, baseModelId, adapter, datanetIds }) {
  const bytes = await readFile(adapter.path);
  const uploaded = await ctx.gateway.uploadAdapter(ownerKey, bytes);
  if (uploaded.fileHash.toLowerCase() !== adapter.sha256.toLowerCase()) {
    throw new Error(`gateway stored ${uploaded.fileHash}, the file hashes to ${adapter.sha256}`);
  }
  const adapterId = await registerAdapter(ctx.actors, owner, {
    baseModelId,
    name: adapter.name,
    sha256: adapter.sha256,
    uri: uploaded.uri,
    rank: adapter.rank,
    datanetIds,
    pricePer1kTokens: BigInt(adapter.pricePer1kTokens),
  });
  const model = `adapter-${adapterId}`;
  await eventually(`gateway lists ${model}`, async () => (await ctx.gateway.models()).data.some((m) => m.id === model), { timeoutMs: 60_000 });
  return { adapterId: adapterId.toString(), model };
}

/** A caller deposits OPEN into FeeEscrow and gives the gateway's operator a signed spending cap. */
export async function openCredit(ctx, { caller, apiKey, depositAmount, cap, expiry }) {
  await deposit(ctx.actors, caller, depositAmount);
  const authorization = await signSpendingAuthorization(ctx.actors, caller, { operator: ctx.operator, cap, expiry });
  await ctx.gateway.authorize(apiKey, authorization);
  await eventually(
    'gateway sees the deposit',
    async () => BigInt((await ctx.gateway.credit(apiKey)).availableWei) > 0n,
    { timeoutMs: 60_000 },
  );
  return authorization;
}
