// What the stack already has, decided from files and chain facts the caller gathers. Pure functions,
// so a restart's decisions ("deploy again?", "seed what is missing?") are tested without a chain.

export const CORE_CONTRACTS = ['OpenToken', 'DatanetRegistry', 'ModelRegistry', 'FeeEscrow', 'AttributionSettlement'];

const ZERO = '0x0000000000000000000000000000000000000000';

/**
 * Whether the contracts must be deployed: when there is no deployment file for this chain, when it
 * names another chain, when a core contract is missing or the zero address, or when the chain has no
 * code at one of its addresses (anvil state was wiped or not saved before a crash).
 * `codeAt` maps address → bytecode as returned by `eth_getCode`.
 */
export function deployDecision(deployment, chainId, codeAt) {
  if (!deployment) return { deploy: true, reason: 'no deployment file yet' };
  if (deployment.chainId !== chainId) return { deploy: true, reason: `deployment file is for chain ${deployment.chainId}, not ${chainId}` };
  for (const name of CORE_CONTRACTS) {
    const address = deployment.contracts?.[name];
    if (!address || address.toLowerCase() === ZERO) return { deploy: true, reason: `${name} is not in the deployment file` };
    const code = codeAt[address.toLowerCase()] ?? codeAt[address];
    if (!code || code === '0x') return { deploy: true, reason: `no code at ${name} ${address} (chain state was reset)` };
  }
  return { deploy: false, reason: 'contracts already deployed on this chain state' };
}

/** The addresses whose code `deployDecision` needs. */
export function addressesToCheck(deployment) {
  if (!deployment?.contracts) return [];
  return CORE_CONTRACTS.map((name) => deployment.contracts[name]).filter((a) => typeof a === 'string' && a.toLowerCase() !== ZERO);
}

/** Demo seeding steps, in order. Each is done once per chain deployment. */
export const SEED_STEPS = [
  'fundAccounts', // OPEN from the deployer to the contributor, curator and caller; ETH is already there
  'baseModel', // base model registered (sha256 of the generated GGUF); the gateway starts with its id
  'datanet', // demo datanet created through datanet-service and the chain, curator set
  'contribution', // contributor stakes, uploads records through datanet-service, relayed on chain
  'acceptance', // curator accepts the contribution
  'adapters', // two adapters uploaded to the gateway and registered on the base model
  'caller', // caller gets an API key, deposits into FeeEscrow, authorizes the gateway's operator
];

/** Steps that need only the chain: done before the services start. */
export const CHAIN_SEED_STEPS = ['fundAccounts', 'baseModel'];

/**
 * Seed state is kept in `.data/stack/seed.json`, stamped with the deployment it belongs to: a redeploy
 * makes the old seed void. Addresses and block numbers repeat on a fresh anvil (same deployer, same
 * nonces), so the stamp includes the deploy time (the vesting TGE the script records).
 */
export function deploymentStamp(deployment) {
  const deployedAt = deployment.vesting?.tge ?? '';
  return `${deployment.chainId}:${String(deployment.contracts.OpenToken).toLowerCase()}:${deployment.startBlock}:${deployedAt}`;
}

export function loadSeedState(saved, deployment) {
  if (!saved || typeof saved !== 'object' || saved.deployment !== deploymentStamp(deployment)) {
    return { deployment: deploymentStamp(deployment), done: {} };
  }
  return { deployment: saved.deployment, done: { ...(saved.done ?? {}) } };
}

/** Steps still to run, in order: the first step not done and everything after it. */
export function pendingSeedSteps(state) {
  const first = SEED_STEPS.findIndex((step) => !state.done[step]);
  return first === -1 ? [] : SEED_STEPS.slice(first);
}

/** A new state with `step` done and its result recorded (ids, hashes) for later steps and reruns. */
export function markSeedStep(state, step, result = {}) {
  if (!SEED_STEPS.includes(step)) throw new Error(`unknown seed step "${step}"`);
  return { ...state, done: { ...state.done, [step]: { at: new Date().toISOString(), ...result } } };
}

/** Everything recorded by the seed steps, merged (later steps win). */
export function seedFacts(state) {
  return Object.assign({}, ...SEED_STEPS.map((step) => state.done[step] ?? {}));
}
