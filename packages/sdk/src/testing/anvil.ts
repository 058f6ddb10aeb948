import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SdkError } from '../errors.js';

/** packages/contracts, found from this file (src/testing or dist/testing of packages/sdk). */
export const CONTRACTS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'contracts');

/** The anvil binary shipped by `@foundry-rs/anvil` in packages/contracts. */
export const ANVIL_BIN = resolve(CONTRACTS_DIR, 'node_modules', '.bin', 'anvil');

/**
 * The ten accounts anvil funds from its default mnemonic
 * ("test test test test test test test test test test test junk", m/44'/60'/0'/0/i), 10,000 ETH each.
 * Public test keys: never use them on a real network.
 */
export const ANVIL_PRIVATE_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
] as const;

export const ANVIL_ADDRESSES = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
] as const;

export interface AnvilAccount {
  address: string;
  privateKey: string;
}

export interface StartAnvilOptions {
  /** Fixed port; a free one is picked when omitted. */
  port?: number;
  /** Seconds between blocks (interval mining); omitted = a block per transaction. */
  blockTime?: number;
  chainId?: number;
  /** Milliseconds to wait for the node to answer (default 30 s). */
  timeoutMs?: number;
  /** Extra command-line arguments. */
  args?: string[];
}

export interface AnvilInstance {
  rpcUrl: string;
  port: number;
  chainId: number;
  accounts: AnvilAccount[];
  process: ChildProcess;
  /** Sends one JSON-RPC request (handy for `evm_snapshot`, `evm_mine`, ...). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export class AnvilError extends SdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ANVIL_FAILED', message, options);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

let rpcId = 0;
export async function jsonRpc<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new AnvilError(`${method}: ${body.error.message}`);
  return body.result as T;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

async function startOnce(options: StartAnvilOptions, port: number): Promise<AnvilInstance> {
  const chainId = options.chainId ?? 31337;
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent'];
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime));
  args.push(...(options.args ?? []));
  const child = spawn(ANVIL_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  installExitHook();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  exited.then(() => running.delete(child));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new AnvilError(`anvil exited with code ${child.exitCode}: ${stderr.trim()}`);
    try {
      const id = await jsonRpc<string>(rpcUrl, 'eth_chainId');
      if (Number(id) === chainId) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new AnvilError(`anvil did not answer on ${rpcUrl} within ${options.timeoutMs ?? 30_000} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    rpcUrl,
    port,
    chainId,
    accounts: ANVIL_PRIVATE_KEYS.map((privateKey, i) => ({ privateKey, address: ANVIL_ADDRESSES[i]! })),
    process: child,
    rpc: (method, params = []) => jsonRpc(rpcUrl, method, params),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Spawns anvil (from packages/contracts/node_modules) and waits until it answers JSON-RPC. */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  if (!existsSync(ANVIL_BIN)) throw new AnvilError(`anvil not found at ${ANVIL_BIN}; run pnpm install`);
  let lastError: unknown;
  for (let attempt = 0; attempt < (options.port ? 1 : 3); attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(options, port);
    } catch (error) {
      lastError = error; // port taken between probe and bind: try another
    }
  }
  throw lastError;
}
