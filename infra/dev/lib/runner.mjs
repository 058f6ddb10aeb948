// Starts the dev stack from a config and returns handles to it: used by infra/dev/stack.mjs (the
// command) and by the end-to-end and fault tests (which stop and restart parts of it).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDeployment, startAnvil } from './chain.mjs';
import { redact } from './config.mjs';
import { ensureDemoModels } from './models.mjs';
import { ProcessGroup, httpOk, stopHandle, waitFor } from './processes.mjs';
import { seedDemo } from './seed.mjs';

/**
 * Brings the stack up. `seed`: 'all' (demo data, default), 'chain' (only funding and the base model:
 * the end-to-end test plays the rest itself) or 'none'. `onUnexpectedExit(name, status, tail)` is
 * called when a child dies on its own.
 */
export async function startStack({ config, log = () => {}, quiet = false, seed = 'all', onUnexpectedExit }) {
  await mkdir(config.stateDir, { recursive: true });
  const group = new ProcessGroup({ logDir: join(config.dataDir, 'logs'), quiet });
  group.onUnexpectedExit = (name, status, tail) => (onUnexpectedExit ?? (() => {}))(name, status, tail);
  const stack = { config, group, services: {}, anvil: undefined, deployment: undefined, models: undefined, seed: {} };
  try {
    for (const service of config.services) {
      if (!existsSync(service.entry)) throw new Error(`${service.entry} is missing: build first (pnpm -r build; ./scripts/dev.sh does it)`);
    }
    stack.anvil = await startAnvil(group, config, log);
    const deployed = await ensureDeployment(config, { operator: config.addresses.operator, settler: config.addresses.settler }, log);
    stack.deployment = deployed.deployment;
    if (deployed.replaced) await forgetOldChain(config, log);
    stack.models = await ensureDemoModels(config.root, config.modelsDir, log);

    const readSeed = async () => (existsSync(config.seedFile) ? JSON.parse(await readFile(config.seedFile, 'utf8')) : undefined);
    const saveSeed = (state) => writeFile(config.seedFile, JSON.stringify(state, null, 2));
    const seedArgs = { config, deployment: stack.deployment, models: stack.models, save: saveSeed, log };
    if (seed !== 'none') stack.seed = await seedDemo({ ...seedArgs, saved: await readSeed(), phase: 'chain' });

    for (const service of config.services) {
      if (service.name === 'inference-gateway' && stack.seed.baseModelId) service.env.BASE_MODEL_ID = stack.seed.baseModelId;
      stack.services[service.name] = { ...service, handle: undefined };
    }
    for (const name of Object.keys(stack.services)) startService(stack, name);
    for (const name of Object.keys(stack.services)) await waitServiceReady(stack, name, log);

    if (seed === 'all') stack.seed = await seedDemo({ ...seedArgs, saved: await readSeed(), phase: 'services' });
    return stack;
  } catch (error) {
    await group.stopAll(5_000);
    throw error;
  }
}

/**
 * The chain was reset and the contracts deployed again: what the services mirrored from the old chain
 * is void. With embedded databases each service's data folder (PGlite, blobs, indexes) is removed; a
 * Postgres given by DATABASE_URL is left alone with a warning (point DATABASE_URL at a fresh database).
 */
async function forgetOldChain(config, log) {
  if (config.databaseUrl) {
    log(`warning: the chain was reset but ${redact(config.databaseUrl)} still holds the services' data of the old chain; use a fresh database`);
    return;
  }
  for (const service of config.services) {
    await rm(service.env.DATA_DIR, { recursive: true, force: true });
  }
  log('chain was reset: removed the services\' data of the old chain');
}

export function startService(stack, name) {
  const service = stack.services[name];
  service.handle = stack.group.start(name, process.execPath, [service.entry], {
    cwd: service.cwd,
    env: service.env,
    onExit: ({ code, signal, tail }) => stack.group.onUnexpectedExit(name, code ?? signal, tail),
  });
  return service.handle;
}

export async function waitServiceReady(stack, name, log = () => {}, timeoutMs = 180_000) {
  const service = stack.services[name];
  await waitFor(name, () => httpOk(`${service.url}/readyz`), { handle: service.handle, timeoutMs });
  log(`${name} ready on ${service.url}`);
}

/** Stops one service on purpose (SIGTERM, its own graceful shutdown). */
export async function stopService(stack, name) {
  const service = stack.services[name];
  const handle = service.handle;
  stack.group.children = stack.group.children.filter((child) => child !== handle);
  await stopHandle(handle);
}

/** Kills one service with SIGKILL, as a crash would (no graceful shutdown, nothing flushed). */
export async function killService(stack, name) {
  const handle = stack.services[name].handle;
  handle.stopping = true;
  stack.group.children = stack.group.children.filter((child) => child !== handle);
  try {
    process.kill(-handle.process.pid, 'SIGKILL');
  } catch {
    handle.process.kill('SIGKILL');
  }
  await handle.exited;
}

/** Stops anvil on purpose; `startAnvilAgain` brings it back on the same port and state file. */
export async function stopAnvil(stack) {
  const handle = stack.anvil;
  stack.group.children = stack.group.children.filter((child) => child !== handle);
  await stopHandle(handle);
}

export async function startAnvilAgain(stack, log = () => {}) {
  stack.anvil = await startAnvil(stack.group, stack.config, log);
  return stack.anvil;
}

export async function stopStack(stack) {
  await stack.group.stopAll();
}
