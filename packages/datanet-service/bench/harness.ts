import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Wallet } from 'ethers';
import { getDatanetRegistry } from '@openledger/sdk';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startTestChain, type TestChain } from '../test/helpers/chain.js';
import { signIn } from '../test/helpers/service.js';

export interface BenchStack {
  chain: TestChain;
  app: FastifyInstance;
  base: string;
  auth: string;
  database: TestDatabase;
  contributor: Wallet;
  close(): Promise<void>;
}

/** anvil + deployed contracts, the service listening on a port (real Postgres when DATABASE_URL is set), one datanet per metadata. */
export async function startBenchStack(options: { datanets: unknown[]; env?: Record<string, string>; startIndexer?: boolean }): Promise<BenchStack> {
  const chain = await startTestChain();
  const [owner] = chain.wallets as [Wallet];
  const registry = getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, owner);
  for (const [i, metadata] of options.datanets.entries()) {
    const uri = `data:application/json;base64,${Buffer.from(JSON.stringify(metadata)).toString('base64')}`;
    await (await registry.createDatanet(`bench ${i + 1}`, uri, 0, [])).wait();
  }
  const database = await createTestDatabase('datanet_bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'datanet-bench-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    REDIS_URL: testRedisUrl(),
    RPC_URL: chain.anvil.rpcUrl,
    CHAIN_ID: String(chain.anvil.chainId),
    DEPLOYMENTS_FILE: '/unused.json',
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.BENCH_LOG === '1' ? 'info' : 'warn',
    POLLING_INTERVAL_MS: '100',
    ...options.env,
  });
  const app = await buildApp(config, { deployment: chain.deployment, startIndexer: options.startIndexer ?? false, logger: process.env.BENCH_LOG === '1' });
  await app.ready();
  if (!options.startIndexer) await app.background.syncMirror();
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const contributor = chain.wallets[1]!;
  const auth = await signIn(app, contributor);
  return {
    chain,
    app,
    base: address,
    auth,
    database,
    contributor,
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
      await chain.stop();
    },
  };
}

/** POSTs a stream; resolves with status and body text. */
export function post(url: string, headers: Record<string, string>, body: Readable): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    body.on('error', reject);
    body.pipe(req);
  });
}

/** Samples the process RSS every 50 ms; `stop()` returns the peak in bytes. */
export function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
