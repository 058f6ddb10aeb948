import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDeployment, type Deployment } from '../deployment.js';
import { SdkError } from '../errors.js';
import { ANVIL_PRIVATE_KEYS, CONTRACTS_DIR } from './anvil.js';

export const FORGE_BIN = resolve(CONTRACTS_DIR, 'node_modules', '.bin', 'forge');
/** The lock every forge invocation of the workspace takes (forge shares one cache and out/). */
export const FORGE_LOCK = '/tmp/forge.lock';

export interface DeployStackOptions {
  /** A deploy config object (written to config/tmp-*.json) or a path relative to packages/contracts. */
  config?: Record<string, unknown> | string;
  /** Deployer key; anvil account 0 by default. */
  privateKey?: string;
  /** Extra environment for the script. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export class DeployError extends SdkError {
  readonly output: string;
  constructor(message: string, output: string) {
    super('DEPLOY_FAILED', message);
    this.output = output;
  }
}

let queue: Promise<unknown> = Promise.resolve();

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: CONTRACTS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

async function deployOnce(rpcUrl: string, options: DeployStackOptions): Promise<Deployment> {
  if (!existsSync(FORGE_BIN)) throw new DeployError(`forge not found at ${FORGE_BIN}; run pnpm install`, '');
  const tag = `tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const outRelative = `deployments/${tag}.json`;
  const outPath = join(CONTRACTS_DIR, outRelative);
  let configPath: string | undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PRIVATE_KEY: options.privateKey ?? ANVIL_PRIVATE_KEYS[0],
    DEPLOYMENTS_OUT: outRelative,
  };
  if (typeof options.config === 'string') env.DEPLOY_CONFIG = options.config;
  else if (options.config) {
    configPath = join(CONTRACTS_DIR, 'config', `${tag}.json`);
    await writeFile(configPath, JSON.stringify(options.config, null, 2));
    env.DEPLOY_CONFIG = `config/${tag}.json`;
  }
  const forgeArgs = ['script', 'script/Deploy.s.sol:Deploy', '--rpc-url', rpcUrl, '--broadcast', '--skip-simulation', '-q'];
  const useFlock = existsSync('/usr/bin/flock') || existsSync('/bin/flock');
  try {
    const { code, output } = await run(
      useFlock ? 'flock' : FORGE_BIN,
      useFlock ? [FORGE_LOCK, FORGE_BIN, ...forgeArgs] : forgeArgs,
      env,
      options.timeoutMs ?? 600_000,
    );
    if (code !== 0) throw new DeployError(`forge script Deploy.s.sol failed (exit ${code}): ${output.trim().slice(-2000)}`, output);
    let text: string;
    try {
      text = await readFile(outPath, 'utf8');
    } catch {
      throw new DeployError(`forge script wrote no ${outRelative}: ${output.trim().slice(-2000)}`, output);
    }
    return parseDeployment(JSON.parse(text), outRelative);
  } finally {
    await rm(outPath, { force: true });
    if (configPath) await rm(configPath, { force: true });
  }
}

/**
 * Deploys the whole stack with the real `script/Deploy.s.sol` (forge script --broadcast) to the node
 * at `rpcUrl` and returns the deployment it wrote. Calls are serialized in-process and, across
 * processes, by the workspace forge lock; forge's cache avoids recompiling unchanged sources.
 */
export function deployStack(rpcUrl: string, options: DeployStackOptions = {}): Promise<Deployment> {
  const result = queue.then(() => deployOnce(rpcUrl, options));
  queue = result.catch(() => undefined);
  return result;
}
