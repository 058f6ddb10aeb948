// Brings up the dev stack for one test file on free ports, a temp data folder and a Redis of its own
// (redis-server on a free port, append-only, so it can be stopped and restarted by fault tests);
// Postgres is a fresh database on DATABASE_URL's server, a private cluster (fault tests), or PGlite.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@openledger/service-kit/testing';
import { REPO } from './infra/manifests.js';
// @ts-expect-error plain ESM module without types
import { stackConfig } from '../../../infra/dev/lib/config.mjs';
// @ts-expect-error plain ESM module without types
import { startStack, stopStack } from '../../../infra/dev/lib/runner.mjs';
// @ts-expect-error plain ESM module without types
import { seedContext } from '../../../infra/dev/lib/seed.mjs';

export { REPO };

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A redis-server of the test's own (port, folder), which a fault test may stop and start again. */
export class PrivateRedis {
  process?: ChildProcess;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  static available(): boolean {
    return spawnSync('redis-server', ['--version']).status === 0;
  }
  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    await waitUntil('redis-server', () => spawnSync('redis-cli', ['-p', String(this.port), 'ping']).stdout?.toString().trim() === 'PONG');
  }
  /** SIGTERM: redis flushes its append-only file and exits. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A Postgres cluster of the test's own (initdb in a temp folder), for stopping it under the services. */
export class PrivatePostgres {
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  static binary(name: string): string | undefined {
    const candidates = [spawnSync('sh', ['-c', `command -v ${name}`]).stdout?.toString().trim()];
    for (const version of ['17', '16', '15', '14']) candidates.push(`/usr/lib/postgresql/${version}/bin/${name}`);
    return candidates.find((c) => c && existsSync(c));
  }
  static available(): boolean {
    return Boolean(PrivatePostgres.binary('initdb') && PrivatePostgres.binary('pg_ctl'));
  }
  get url(): string {
    return `postgres://openledger@127.0.0.1:${this.port}/postgres`;
  }
  private run(bin: string, args: string[]): void {
    // postgres refuses to run as root: run it as the `postgres` (or `nobody`) user when we are root.
    const asRoot = process.getuid?.() === 0;
    const command = asRoot ? 'su' : PrivatePostgres.binary(bin)!;
    const fullArgs = asRoot ? [this.user(), '-s', '/bin/sh', '-c', [PrivatePostgres.binary(bin)!, ...args].map((a) => `'${a}'`).join(' ')] : args;
    const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
  private user(): string {
    return spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
  }
  async init(): Promise<void> {
    if (process.getuid?.() === 0) spawnSync('chown', ['-R', this.user(), this.dir]);
    this.run('initdb', ['-D', join(this.dir, 'pg'), '-U', 'openledger', '--auth=trust', '-E', 'UTF8']);
    await this.start();
  }
  async start(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'pg'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on`, '-l', join(this.dir, 'pg.log'), '-w', 'start']);
  }
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'pg'), '-m', 'fast', '-w', 'stop']);
  }
}

export interface TestStack {
  stack: any;
  ctx: any;
  config: any;
  redis?: PrivateRedis;
  postgres?: PrivatePostgres;
  dataDir: string;
  logs: string[];
  exits: string[];
  close(): Promise<void>;
}

/**
 * Starts anvil, deploys, starts the three services on free ports with the chain-only demo seed
 * (funded accounts, base model), and returns the participants' context for the loop.
 */
export async function startTestStack(options: { epochSeconds: number; privatePostgres?: boolean }): Promise<TestStack> {
  for (const service of ['datanet-service', 'inference-gateway', 'attribution-worker']) {
    const entry = join(REPO, 'packages', service, 'dist', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm -r build first (./scripts/test.sh does)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'openledger-e2e-'));
  const logs: string[] = [];
  const exits: string[] = [];
  let redis: PrivateRedis | undefined;
  let redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (PrivateRedis.available()) {
    redis = new PrivateRedis(await freePort(), dataDir);
    await redis.start();
    redisUrl = redis.url;
  }
  let postgres: PrivatePostgres | undefined;
  let database: TestDatabase | undefined;
  let databaseUrl: string | undefined;
  if (options.privatePostgres && PrivatePostgres.available()) {
    postgres = new PrivatePostgres(await freePort(), mkdtempSync(join(tmpdir(), 'openledger-e2e-pg-')));
    await postgres.init();
    databaseUrl = postgres.url;
  } else if (process.env.DATABASE_URL) {
    database = await createTestDatabase('e2e', 'postgres');
    databaseUrl = database.url;
  }
  // A tiny BERT-shaped ONNX embedding model (the attribution worker's test fixture), so retrieval runs for real.
  const embeddingModelDir = join(dataDir, 'embedding-model');
  const fixtureModule = pathToFileURL(join(REPO, 'packages', 'attribution-worker', 'dist', 'semantic', 'fixture-model.js')).href;
  execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(fixtureModule)}).then((m) => m.writeFixtureModel(${JSON.stringify(embeddingModelDir)}))`]);
  const env: Record<string, string> = {
    OPENLEDGER_DATA_DIR: dataDir,
    EMBEDDING_MODEL_DIR: embeddingModelDir,
    REDIS_URL: redisUrl,
    ANVIL_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    DATANET_PORT: String(await freePort()),
    ATTRIBUTION_PORT: String(await freePort()),
    DASHBOARD_PORT: String(await freePort()),
    EPOCH_SECONDS: String(options.epochSeconds),
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const config = stackConfig(env, REPO);
  const log = (line: string) => logs.push(line);
  let stack: any;
  try {
    stack = await startStack({ config, log, quiet: true, seed: 'chain', onUnexpectedExit: (name: string, status: unknown, tail: unknown) => {
      exits.push(`${name}: ${String(status)}`);
      // The child's last log lines, so a crash in CI can be diagnosed from the test output.
      process.stderr.write(`${name} exited unexpectedly (${String(status)}); last log lines:\n${String(tail ?? '').trim().split('\n').slice(-30).join('\n')}\n`);
    } });
  } catch (error) {
    await redis?.stop();
    await postgres?.stop().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    throw error;
  }
  const ctx = await seedContext(config, stack.deployment);
  return {
    stack,
    ctx,
    config,
    redis,
    postgres,
    dataDir,
    logs,
    exits,
    async close() {
      ctx.actors.provider.destroy();
      await stopStack(stack);
      await redis?.stop();
      await postgres?.stop().catch(() => undefined);
      await database?.drop().catch(() => undefined);
      if (!process.env.KEEP_E2E_DATA) {
        rmSync(dataDir, { recursive: true, force: true });
        if (postgres) rmSync(postgres.dir, { recursive: true, force: true });
      }
    },
  };
}
