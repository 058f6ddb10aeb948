import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Wallet } from 'ethers';
import { buildSiweMessage } from '@openledger/sdk';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
import { buildApp } from '../../src/app.js';
import { loadConfig, type DatanetServiceConfig } from '../../src/config.js';
import type { TestChain } from './chain.js';

export interface TestService {
  app: FastifyInstance;
  config: DatanetServiceConfig;
  database: TestDatabase;
  dataDir: string;
  close(keepData?: boolean): Promise<void>;
}

export async function startTestService(
  chain: TestChain,
  options: { kind?: 'postgres' | 'pglite'; env?: Record<string, string>; relayer?: Wallet; reuse?: TestService } = {},
): Promise<TestService> {
  const database = options.reuse?.database ?? (await createTestDatabase('datanet_service', options.kind));
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'datanet-service-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    REDIS_URL: testRedisUrl(),
    RPC_URL: chain.anvil.rpcUrl,
    CHAIN_ID: String(chain.anvil.chainId),
    DEPLOYMENTS_FILE: '/nonexistent-deployment-given-directly.json',
    PUBLIC_URL: 'http://datanets.test',
    RELAYER_PRIVATE_KEY: options.relayer?.privateKey,
    QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    POLLING_INTERVAL_MS: '100',
    RELAY_RECEIPT_TIMEOUT_MS: '5000',
    ...options.env,
  });
  const app = await buildApp(config, { deployment: chain.deployment, startIndexer: false, logger: process.env.DATANET_TEST_LOG === '1' });
  await app.ready();
  return {
    app,
    config,
    database,
    dataDir,
    async close(keepData = false) {
      await app.close();
      if (keepData) return;
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Full SIWE sign-in through the routes; returns the bearer header. */
export async function signIn(app: FastifyInstance, wallet: Wallet, overrides: { domain?: string; chainId?: number } = {}): Promise<string> {
  const nonceRes = await app.inject({ method: 'POST', url: '/auth/nonce' });
  const { nonce, domain, chainId } = nonceRes.json() as { nonce: string; domain: string; chainId: number };
  const message = buildSiweMessage({
    domain: overrides.domain ?? domain,
    address: wallet.address,
    statement: 'Sign in to the datanet service',
    uri: `http://${domain}`,
    version: '1',
    chainId: overrides.chainId ?? chainId,
    nonce,
    issuedAt: new Date().toISOString(),
    expirationTime: new Date(Date.now() + 600_000).toISOString(),
  });
  const signature = await wallet.signMessage(message);
  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: { message, signature } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  return `Bearer ${(res.json() as { token: string }).token}`;
}

/** A multipart/form-data body with the given files (built by hand, so tests can also truncate it). */
export function multipartBody(files: { name: string; contentType: string; content: Buffer | string }[]): { body: Buffer; contentType: string } {
  const boundary = `----test${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.contentType}\r\n\r\n`),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
