import {
  CHAIN_SEED_STEPS,
  SEED_STEPS,
  addressesToCheck,
  deployDecision,
  deploymentStamp,
  loadSeedState,
  markSeedStep,
  pendingSeedSteps,
  seedFacts,
  // @ts-expect-error plain ESM module without types
} from '../../../../infra/dev/lib/state.mjs';

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const deployment = {
  chainId: 31337,
  startBlock: 1,
  contracts: {
    OpenToken: address(1),
    DatanetRegistry: address(2),
    ModelRegistry: address(3),
    FeeEscrow: address(4),
    AttributionSettlement: address(5),
  },
};
const codeEverywhere = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [address(n), '0x6080']));

describe('deploy decision on start', () => {
  it('deploys when there is no file, another chain, a missing contract or no code', () => {
    expect(deployDecision(undefined, 31337, {})).toMatchObject({ deploy: true, reason: 'no deployment file yet' });
    expect(deployDecision({ ...deployment, chainId: 1 }, 31337, codeEverywhere).reason).toMatch(/chain 1/);
    const zero = { ...deployment, contracts: { ...deployment.contracts, FeeEscrow: address(0) } };
    expect(deployDecision(zero, 31337, codeEverywhere)).toMatchObject({ deploy: true, reason: 'FeeEscrow is not in the deployment file' });
    const wiped = { ...codeEverywhere, [address(3)]: '0x' };
    expect(deployDecision(deployment, 31337, wiped).reason).toMatch(/no code at ModelRegistry/);
  });

  it('keeps the deployment when every core contract has code', () => {
    expect(deployDecision(deployment, 31337, codeEverywhere)).toEqual({ deploy: false, reason: 'contracts already deployed on this chain state' });
    expect(addressesToCheck(deployment)).toHaveLength(5);
    expect(addressesToCheck({ contracts: { OpenToken: address(0) } })).toEqual([]);
  });
});

describe('idempotent seeding', () => {
  it('runs every step on a fresh deployment and none once all are done', () => {
    let state = loadSeedState(undefined, deployment);
    expect(pendingSeedSteps(state)).toEqual(SEED_STEPS);
    for (const step of SEED_STEPS) state = markSeedStep(state, step, { [`${step}Id`]: step.length });
    expect(pendingSeedSteps(state)).toEqual([]);
    const reloaded = loadSeedState(JSON.parse(JSON.stringify(state)), deployment);
    expect(pendingSeedSteps(reloaded)).toEqual([]);
    expect(seedFacts(reloaded)).toMatchObject({ datanetId: 'datanet'.length, callerId: 'caller'.length });
  });

  it('resumes at the first step not done after a crash', () => {
    let state = loadSeedState(undefined, deployment);
    state = markSeedStep(state, 'fundAccounts');
    state = markSeedStep(state, 'baseModel', { baseModelId: '1' });
    state = markSeedStep(state, 'datanet', { datanetId: '1' });
    expect(pendingSeedSteps(state)[0]).toBe('contribution');
    expect(seedFacts(state)).toMatchObject({ baseModelId: '1', datanetId: '1' });
    expect(() => markSeedStep(state, 'nope')).toThrow(/unknown seed step/);
  });

  it('does the chain-only steps before the services, in order', () => {
    expect(SEED_STEPS.slice(0, CHAIN_SEED_STEPS.length)).toEqual(CHAIN_SEED_STEPS);
  });

  it('starts over when the contracts were deployed again', () => {
    let state = loadSeedState(undefined, deployment);
    for (const step of SEED_STEPS) state = markSeedStep(state, step);
    const redeployed = { ...deployment, startBlock: 40 };
    expect(deploymentStamp(redeployed)).not.toBe(state.deployment);
    expect(pendingSeedSteps(loadSeedState(state, redeployed))).toEqual(SEED_STEPS);
    // a fresh anvil repeats addresses and blocks: the deploy time tells the deployments apart
    const first = { ...deployment, vesting: { tge: 1_795_300_000 } };
    const again = { ...deployment, vesting: { tge: 1_795_300_900 } };
    let seeded = loadSeedState(undefined, first);
    for (const step of SEED_STEPS) seeded = markSeedStep(seeded, step);
    expect(pendingSeedSteps(loadSeedState(seeded, first))).toEqual([]);
    expect(pendingSeedSteps(loadSeedState(seeded, again))).toEqual(SEED_STEPS);
  });
});
