// Demo data for the dev stack, idempotent: every step is recorded in .data/stack/seed.json with the
// ids it produced, stamped with the deployment, so a restart runs only what is missing.
import { OPEN, createActors, fundAccounts, registerBaseModel } from './actions.mjs';
import { attributionClient, datanetClient, gatewayClient } from './clients.mjs';
import { accept, contribute, createDatanet, openCredit, publishAdapter } from './loop.mjs';
import { CHAIN_SEED_STEPS, loadSeedState, markSeedStep, pendingSeedSteps, seedFacts } from './state.mjs';

export const DEMO_RECORDS = [
  { text: 'To reset your password, open Settings, choose Security and press Reset password.' },
  { text: 'Refunds are processed within five business days after the returned item arrives.' },
  { text: 'The warranty covers manufacturing defects for two years from the date of purchase.' },
  { text: 'Support is available every day from eight in the morning to eight in the evening.' },
  { text: 'You can track an order from the Orders page with the number in your confirmation email.' },
  { text: 'Premium members get free shipping on every order and early access to sales.' },
];

export const DEMO_AMOUNTS = {
  contributorFunds: 10_000n * OPEN,
  curatorFunds: 1_000n * OPEN,
  callerFunds: 10_000n * OPEN,
  minStake: 100n * OPEN,
  callerDeposit: 1_000n * OPEN,
  callerCap: 1_000n * OPEN,
};

/** Everything a step needs: actors on the chain, the three service clients, the operator address. */
export async function seedContext(config, deployment) {
  const actors = await createActors({ root: config.root, rpcUrl: config.urls.rpc, chainId: config.chainId, deployment, keys: config.keys });
  return {
    actors,
    config,
    operator: config.addresses.operator,
    datanet: datanetClient(config.urls.datanet, actors.sdk),
    gateway: gatewayClient(config.urls.gateway, actors.sdk),
    attribution: attributionClient(config.urls.attribution),
  };
}

const STEPS = {
  async fundAccounts(ctx) {
    await fundAccounts(ctx.actors, {
      contributor: DEMO_AMOUNTS.contributorFunds,
      curator: DEMO_AMOUNTS.curatorFunds,
      caller: DEMO_AMOUNTS.callerFunds,
    });
    return {};
  },
  async baseModel(ctx, facts, models) {
    const id = await registerBaseModel(ctx.actors, 'modelOwner', { name: models.base.name, sha256: models.base.sha256, uri: `file://${models.base.path}` });
    return { baseModelId: id.toString() };
  },
  async datanet(ctx) {
    const datanetId = await createDatanet(ctx, {
      owner: 'deployer',
      name: 'Demo customer support',
      description: 'Short answers to common customer-support questions (demo data of the dev stack).',
      schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } }, additionalProperties: false },
      minStake: DEMO_AMOUNTS.minStake,
      curators: ['curator'],
    });
    return { datanetId };
  },
  async contribution(ctx, facts) {
    const result = await contribute(ctx, { contributor: 'contributor', datanetId: facts.datanetId, stakeAmount: DEMO_AMOUNTS.minStake, records: DEMO_RECORDS });
    return { contributionId: result.contributionId, batchId: result.batchId };
  },
  async acceptance(ctx, facts) {
    await accept(ctx, { curator: 'curator', contributionId: facts.contributionId, weight: DEMO_RECORDS.length });
    return {};
  },
  async adapters(ctx, facts, models) {
    const { key: ownerKey } = await ctx.gateway.createKey(ctx.actors.wallets.modelOwner, 'demo model owner');
    const published = [];
    for (const adapter of models.adapters) {
      published.push(await publishAdapter(ctx, { owner: 'modelOwner', ownerKey, baseModelId: facts.baseModelId, adapter, datanetIds: [facts.datanetId] }));
    }
    return { adapterIds: published.map((p) => p.adapterId), adapterModels: published.map((p) => p.model) };
  },
  async caller(ctx) {
    const { key } = await ctx.gateway.createKey(ctx.actors.wallets.caller, 'demo caller');
    const expiry = BigInt(Math.floor(Date.now() / 1000) + 365 * 24 * 3600);
    await openCredit(ctx, { caller: 'caller', apiKey: key, depositAmount: DEMO_AMOUNTS.callerDeposit, cap: DEMO_AMOUNTS.callerCap, expiry });
    return { apiKey: key };
  },
};

/**
 * Runs the seed steps of `phase` ('chain': before the services start; 'services': after) that are not
 * done yet for this deployment. Returns the merged facts (ids, API key).
 */
export async function seedDemo({ config, deployment, models, saved, save, log, phase, ctx }) {
  let state = loadSeedState(saved, deployment);
  const pending = pendingSeedSteps(state).filter((step) => (phase === 'chain') === CHAIN_SEED_STEPS.includes(step));
  if (pending.length === 0) {
    if (phase === 'services') log('demo data: already seeded');
    return { ...seedFacts(state), state };
  }
  const context = ctx ?? (await seedContext(config, deployment));
  try {
    for (const step of pending) {
      const started = Date.now();
      const result = await STEPS[step](context, seedFacts(state), models);
      state = markSeedStep(state, step, result);
      await save(state);
      log(`demo data: ${step} done in ${Date.now() - started} ms${Object.keys(result).length ? ` ${JSON.stringify(redactKeys(result))}` : ''}`);
    }
  } finally {
    if (!ctx) context.actors.provider.destroy(); // no polling left behind
  }
  return { ...seedFacts(state), state };
}

const redactKeys = (result) => Object.fromEntries(Object.entries(result).map(([k, v]) => [k, /key/i.test(k) ? `${String(v).slice(0, 8)}…` : v]));

/** One chat completion through the first demo adapter with the caller's key. */
export async function firstCompletion({ config, seed }) {
  const started = Date.now();
  const response = await fetch(`${config.urls.gateway}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seed.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: seed.adapterModels[0], messages: [{ role: 'user', content: 'How do I reset my password?' }], max_tokens: 16, temperature: 0, seed: 1 }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`first completion failed (${response.status}): ${body.detail ?? JSON.stringify(body)}`);
  return { ms: Date.now() - started, text: body.choices[0].message.content, usage: body.usage };
}
