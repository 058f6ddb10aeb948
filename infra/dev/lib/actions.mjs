// The participants of the demo and the end-to-end test, acting on the real contracts through the
// sdk's typed clients: fund, create a datanet, stake, review, register models, deposit, authorize,
// claim. Each returns the ids the next step needs.
import { join } from 'node:path';
import { importBuilt, importDependency } from './resolve.mjs';

export const OPEN = 10n ** 18n;

export async function loadChainLibraries(root) {
  const ethers = await importDependency(join(root, 'packages', 'sdk'), 'ethers');
  const sdk = await importBuilt(root, 'packages/sdk/dist/index.js');
  return { ethers, sdk };
}

/** Wallets of every demo role on one provider, with typed clients of the deployment. */
export async function createActors({ root, rpcUrl, chainId, deployment, keys }) {
  const { ethers, sdk } = await loadChainLibraries(root);
  const provider = new ethers.JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 250 });
  const wallets = {};
  const contracts = {};
  for (const [role, key] of Object.entries(keys)) {
    wallets[role] = new ethers.NonceManager(new ethers.Wallet(key, provider));
    wallets[role].address = new ethers.Wallet(key).address;
    contracts[role] = sdk.connectDeployment(deployment, wallets[role]);
  }
  const read = sdk.connectDeployment(deployment, provider);
  return { ethers, sdk, provider, wallets, contracts, read, deployment, chainId };
}

/** Sends a transaction and waits for it; the error names the step. */
export async function send(step, promise) {
  let tx;
  try {
    tx = await promise;
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error('reverted');
    return receipt;
  } catch (error) {
    throw new Error(`${step}: ${error?.shortMessage ?? error?.message ?? error}`, { cause: error });
  }
}

/** The first log of `eventName` in `receipt` emitted by `contract`. */
export function eventOf(contract, receipt, eventName) {
  for (const entry of receipt.logs) {
    try {
      const parsed = contract.interface.parseLog(entry);
      if (parsed?.name === eventName) return parsed.args;
    } catch {
      // another contract's log
    }
  }
  throw new Error(`no ${eventName} event in transaction ${receipt.hash}`);
}

/** OPEN from the deployer to each role that needs some (ETH comes from anvil). */
export async function fundAccounts(actors, amounts) {
  const token = actors.contracts.deployer.OpenToken;
  for (const [role, amount] of Object.entries(amounts)) {
    const balance = await actors.read.OpenToken.balanceOf(actors.wallets[role].address);
    if (balance < amount) await send(`fund ${role}`, token.transfer(actors.wallets[role].address, amount - balance));
  }
}

export async function createDatanet(actors, { owner = 'deployer', name, metadataURI, minStake, curators }) {
  const registry = actors.contracts[owner].DatanetRegistry;
  const receipt = await send('createDatanet', registry.createDatanet(name, metadataURI, minStake, curators.map((r) => actors.wallets[r].address)));
  return eventOf(registry, receipt, 'DatanetCreated').datanetId;
}

export async function stake(actors, role, datanetId, amount) {
  const { OpenToken, DatanetRegistry } = actors.contracts[role];
  await send(`${role} approve stake`, OpenToken.approve(actors.deployment.contracts.DatanetRegistry, amount));
  await send(`${role} stake`, DatanetRegistry.stake(datanetId, amount));
}

export async function acceptContribution(actors, role, contributionId, weight) {
  await send(`${role} acceptContribution`, actors.contracts[role].DatanetRegistry.acceptContribution(contributionId, weight));
}

export async function registerBaseModel(actors, role, { name, sha256, uri }) {
  const registry = actors.contracts[role].ModelRegistry;
  const receipt = await send('registerBaseModel', registry.registerBaseModel(name, sha256, uri));
  return eventOf(registry, receipt, 'BaseModelRegistered').baseModelId;
}

export async function registerAdapter(actors, role, { baseModelId, name, sha256, uri, rank, datanetIds, pricePer1kTokens }) {
  const registry = actors.contracts[role].ModelRegistry;
  const receipt = await send(`registerAdapter ${name}`, registry.registerAdapter(baseModelId, name, sha256, uri, rank, datanetIds, pricePer1kTokens));
  return eventOf(registry, receipt, 'AdapterRegistered').adapterId;
}

export async function deposit(actors, role, amount) {
  const { OpenToken, FeeEscrow } = actors.contracts[role];
  await send(`${role} approve escrow`, OpenToken.approve(actors.deployment.contracts.FeeEscrow, amount));
  await send(`${role} deposit`, FeeEscrow.deposit(amount));
}

/** The caller's EIP-712 spending authorization for the operator (the gateway). */
export async function signSpendingAuthorization(actors, role, { operator, cap, expiry }) {
  const { sdk } = actors;
  const message = { payer: actors.wallets[role].address, operator, cap, expiry };
  const payload = sdk.spendingAuthorizationTypedData({ chainId: actors.chainId, escrow: actors.deployment.contracts.FeeEscrow, message });
  const signer = actors.wallets[role].signer ?? actors.wallets[role];
  const signature = await sdk.signTypedDataPayload(signer, payload);
  return { ...message, signature };
}

/** Claims `cumulativeAmount` with `proof` for `role`; returns the OPEN paid (balance difference). */
export async function claim(actors, role, { cumulativeAmount, proof }) {
  const account = actors.wallets[role].address;
  const before = await actors.read.OpenToken.balanceOf(account);
  await send(`${role} claim`, actors.contracts[role].AttributionSettlement.claim(account, cumulativeAmount, proof));
  const after = await actors.read.OpenToken.balanceOf(account);
  return after - before;
}
