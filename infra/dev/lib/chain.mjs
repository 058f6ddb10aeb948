// The dev chain: anvil with its state file, and the contracts deployed once per chain state.
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { rpc, waitFor } from './processes.mjs';
import { importBuilt } from './resolve.mjs';
import { addressesToCheck, deployDecision } from './state.mjs';

/**
 * The deploy config of the dev stack: the demo distribution of config/deploy.local.json, with the
 * gateway's operator account and demo-friendly economy timings (no challenge window, the shortest
 * unstake cooldown the registry allows, one-minute withdrawal delay) so an epoch can be claimed as
 * soon as it is posted.
 */
export function devDeployConfig(localConfig, { operator, settler, challengeWindow = 0, unstakeCooldown = 3600, withdrawalDelay = 60 }) {
  return {
    ...localConfig,
    description: `${localConfig.description ?? ''} Dev stack: own settler and operator accounts, no challenge window.`.trim(),
    settler,
    operator,
    economy: {
      ...(localConfig.economy ?? {}),
      challengeWindow,
      unstakeCooldown,
      withdrawalDelay,
    },
  };
}

/**
 * The anvil binary of this platform, inside the `@foundry-rs/anvil-<os>-<arch>` package. The npm
 * wrapper (`node_modules/.bin/anvil`) exits on SIGTERM before anvil has written its state file, so
 * the stack runs the binary itself; the wrapper is the fallback.
 */
export function anvilBinary(root, wrapper) {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  try {
    const require = createRequire(realpathSync(join(root, 'packages', 'contracts', 'node_modules', '@foundry-rs', 'anvil', 'package.json')));
    const binary = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil`);
    if (existsSync(binary)) return binary;
  } catch {
    // not installed for this platform: use the wrapper
  }
  return wrapper;
}

/**
 * anvil rewrites its state file in place; a crash while writing leaves it empty or cut. Keep the last
 * good copy next to it and put it back when the file does not parse.
 */
export async function guardStateFile(stateFile, log) {
  const backup = `${stateFile}.last-good`;
  const parses = async (path) => {
    try {
      JSON.parse(await readFile(path, 'utf8'));
      return true;
    } catch {
      return false;
    }
  };
  if (!existsSync(stateFile)) return;
  if (await parses(stateFile)) {
    await copyFile(stateFile, backup);
  } else if (existsSync(backup) && (await parses(backup))) {
    log(`anvil state file was damaged (crash while saving): restoring the last good copy`);
    await copyFile(backup, stateFile);
  } else {
    log(`anvil state file is damaged and there is no good copy: starting a fresh chain`);
    await rename(stateFile, `${stateFile}.damaged-${Date.now()}`);
  }
}

export async function startAnvil(group, config, log) {
  await mkdir(dirname(config.anvil.stateFile), { recursive: true });
  await guardStateFile(config.anvil.stateFile, log);
  const restored = existsSync(config.anvil.stateFile);
  // anvil prints every RPC call: that goes to .data/logs/anvil.log only, not the console
  const handle = group.start('anvil', anvilBinary(config.root, config.anvil.bin), config.anvil.args, {
    echo: false,
    onExit: ({ code, signal, tail }) => group.onUnexpectedExit?.('anvil', code ?? signal, tail),
  });
  await waitFor('anvil', async () => Number(await rpc(config.urls.rpc, 'eth_chainId')) === config.chainId, { handle, timeoutMs: 60_000 });
  const block = Number(await rpc(config.urls.rpc, 'eth_blockNumber'));
  log(`anvil on ${config.urls.rpc} (${restored ? `state restored, block ${block}` : 'fresh chain'})`);
  return handle;
}

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Deploys the contracts unless this chain state already has them. `replaced`: an earlier deployment
 * existed (the chain was reset), so data the services mirrored from it is stale.
 */
export async function ensureDeployment(config, roles, log) {
  const existing = await readJson(config.deploymentsFile);
  const codeAt = {};
  for (const address of addressesToCheck(existing)) {
    codeAt[address.toLowerCase()] = await rpc(config.urls.rpc, 'eth_getCode', [address, 'latest']);
  }
  const decision = deployDecision(existing, config.chainId, codeAt);
  if (!decision.deploy) {
    log(`contracts: ${decision.reason}`);
    return { deployment: existing, replaced: false };
  }
  log(`contracts: deploying (${decision.reason}); first time compiles with forge, ~1 min`);
  const local = JSON.parse(await readFile(join(config.root, 'packages', 'contracts', 'config', 'deploy.local.json'), 'utf8'));
  const { deployStack } = await importBuilt(config.root, 'packages/sdk/dist/testing.js');
  const deployment = await deployStack(config.urls.rpc, {
    config: devDeployConfig(local, roles),
    privateKey: config.keys.deployer,
  });
  await mkdir(dirname(config.deploymentsFile), { recursive: true });
  await writeFile(`${config.deploymentsFile}.tmp`, JSON.stringify(deployment, null, 2));
  await rename(`${config.deploymentsFile}.tmp`, config.deploymentsFile);
  // anvil writes its state every 5 s (--state-interval) and on exit; if it dies before that, the next
  // start finds no code at these addresses and deploys again (deployDecision).
  log(`contracts: deployed, OpenToken ${deployment.contracts.OpenToken} → ${config.deploymentsFile}`);
  return { deployment, replaced: existing !== undefined };
}
