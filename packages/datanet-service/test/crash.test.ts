import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Interface, type Wallet } from 'ethers';
import { contractAbis, getDatanetRegistry } from '@openledger/sdk';
import { freePort } from '@openledger/sdk/testing';
import { createTestDatabase, testRedisUrl } from '@openledger/service-kit/testing';
import { startTestChain, type TestChain } from './helpers/chain.js';
import { signIn, startTestService, type TestService } from './helpers/service.js';

const PACKAGE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const dataUri = (doc: unknown) => `data:application/json;base64,${Buffer.from(JSON.stringify(doc)).toString('base64')}`;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function countRows(service: TestService, table: string): Promise<number> {
  const result = (await service.app.ctx.database.db.execute(sql.raw(`select count(*)::int as n from datanet_service.${table}`))) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]!.n);
}

describe('crashes', () => {
  let chain: TestChain;
  let owner: Wallet, contributor: Wallet;

  beforeAll(async () => {
    chain = await startTestChain();
    [owner] = chain.wallets as [Wallet];
    contributor = chain.wallets[6]!;
    const registry = getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, owner);
    await (await registry.createDatanet('crash test', dataUri({ schema: { type: 'object', required: ['n'] } }), 0, [])).wait();
  });

  afterAll(async () => {
    await chain.anvil.rpc('evm_setAutomine', [true]);
    await chain?.stop();
  });

  const kinds = process.env.DATABASE_URL ? (['postgres', 'pglite'] as const) : (['pglite'] as const);
  it.each(kinds.map((k) => [k]))('a process killed in the middle of an upload leaves no half batch (%s)', async (kind) => {
    const database = await createTestDatabase('datanet_service', kind);
    const dataDir = mkdtempSync(join(tmpdir(), 'datanet-crash-'));
    const deploymentsFile = join(dataDir, 'deployment.json');
    writeFileSync(deploymentsFile, JSON.stringify(chain.deployment));
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url ?? '',
      DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl(),
      RPC_URL: chain.anvil.rpcUrl,
      CHAIN_ID: String(chain.anvil.chainId),
      DEPLOYMENTS_FILE: deploymentsFile,
      PUBLIC_URL: 'http://datanets.test',
      QUEUE_PREFIX: `crash-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
    };
    // one process (node with the tsx loader), so SIGKILL really kills the server mid-upload
    let child: ChildProcess | undefined = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_DIR, 'src', 'main.ts')], {
      env,
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor('the service to listen', async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 60_000);
      await waitFor('the datanet to be mirrored', async () => ((await fetch(`${base}/datanets/1`)).ok ? true : undefined));
      // sign in over HTTP
      const { nonce, domain, chainId } = (await (await fetch(`${base}/auth/nonce`, { method: 'POST' })).json()) as { nonce: string; domain: string; chainId: number };
      const { buildSiweMessage } = await import('@openledger/sdk');
      const message = buildSiweMessage({ domain, address: contributor.address, uri: base, version: '1', chainId, nonce, issuedAt: new Date().toISOString() });
      const verified = await fetch(`${base}/auth/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, signature: await contributor.signMessage(message) }),
      });
      const { token } = (await verified.json()) as { token: string };

      // stream 20,000 records, then stall: the upload is in flight when the process dies
      const req = request(`${base}/datanets/1/batches`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
      req.on('error', () => undefined);
      let body = '';
      for (let i = 0; i < 20000; i++) body += `${JSON.stringify({ n: i, text: 'x'.repeat(100) })}\n`;
      req.write(body);
      const tmp = join(dataDir, 'blobs', 'tmp');
      await waitFor('the upload to reach the blob store', async () => {
        const files = existsSync(tmp) ? readdirSync(tmp) : [];
        return files.some((f) => statSync(join(tmp, f)).size >= body.length) ? true : undefined;
      });
      await new Promise((r) => setTimeout(r, 500));
      if (database.url) {
        // the records are on their way into Postgres inside the open COPY transaction
        const pg = (await import('pg')).default;
        const probe = new pg.Client({ connectionString: database.url });
        await probe.connect();
        const active = await probe.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and query like 'COPY datanet_service.batch_records%'");
        await probe.end();
        expect(active.rows[0].n).toBe(1);
      }
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = undefined;
      req.destroy();

      if (kind === 'pglite') {
        // PGlite stages rows before the batch row exists: some are on disk, none reachable
        const { PGlite } = await import('@electric-sql/pglite');
        const pg = await PGlite.create(join(dataDir, 'db'));
        const staged = await pg.query<{ n: number }>('select count(*)::int as n from datanet_service.batch_records');
        const visible = await pg.query<{ n: number }>('select count(*)::int as n from datanet_service.batches');
        await pg.close();
        expect(staged.rows[0]!.n).toBeGreaterThan(0);
        expect(visible.rows[0]!.n).toBe(0);
      }
      // restart on the same database and data directory (start-up sweeps what the crash left)
      const service = await startTestService(chain, { kind, reuse: { database, dataDir } as TestService });
      try {
        expect(await countRows(service, 'batches')).toBe(0);
        expect(await countRows(service, 'batch_records')).toBe(0);
        expect(await countRows(service, 'batch_blobs')).toBe(0);
        expect(readdirSync(tmp)).toEqual([]);
        expect(existsSync(join(dataDir, 'blobs', 'blobs')) ? readdirSync(join(dataDir, 'blobs', 'blobs')) : []).toEqual([]);
      } finally {
        await service.close(true);
      }
    } finally {
      child?.kill('SIGKILL');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a relayer that dies between signing and mining neither loses nor duplicates the submission', async () => {
    const relayer = chain.wallets[8]!;
    const first = await startTestService(chain, { relayer, env: { RELAY_RECEIPT_TIMEOUT_MS: '1000' } });
    let second: TestService | undefined;
    try {
      await first.app.background.syncMirror();
      const auth = await signIn(first.app, contributor);
      const up = await first.app.inject({ method: 'POST', url: '/datanets/1/batches', headers: { authorization: auth, 'content-type': 'application/x-ndjson' }, payload: '{"n":1}\n{"n":2}\n' });
      expect(up.statusCode).toBe(201);
      const batch = up.json() as { batchId: string; batchRoot: string; typedData: { domain: Record<string, string>; types: Record<string, { name: string; type: string }[]>; message: Record<string, string> } };
      const { EIP712Domain: _, ...types } = batch.typedData.types;
      const signature = await contributor.signTypedData(batch.typedData.domain, types, batch.typedData.message);
      const relayerNonceBefore = await chain.provider.getTransactionCount(relayer.address, 'latest');

      await chain.anvil.rpc('evm_setAutomine', [false]); // the transaction will sit in the mempool
      const signed = await first.app.inject({ method: 'POST', url: `/batches/${batch.batchId}/signature`, payload: { signature, nonce: batch.typedData.message.nonce, deadline: batch.typedData.message.deadline } });
      expect(signed.statusCode).toBe(202);
      const sent = await waitFor('the signed transaction to be stored and sent', async () => {
        const b = (await first.app.inject({ method: 'GET', url: `/batches/${batch.batchId}` })).json() as { status: string; txHash: string | null };
        return b.status === 'submitting' && b.txHash ? b : undefined;
      });

      // crash: the worker is dropped mid-job and its Redis state is gone too (the new instance uses a new queue prefix)
      await first.app.background.relayWorker!.close(true);
      await new Promise((r) => setTimeout(r, 1500)); // the abandoned attempt's receipt wait runs out before its provider goes
      await first.close(true);
      second = await startTestService(chain, { relayer, reuse: first });
      await new Promise((r) => setTimeout(r, 500)); // the recovered job rebroadcasts the stored transaction
      await chain.anvil.rpc('evm_mine');
      await chain.anvil.rpc('evm_setAutomine', [true]);
      const done = await waitFor('the recovered submission', async () => {
        const b = (await second!.app.inject({ method: 'GET', url: `/batches/${batch.batchId}` })).json() as { status: string; txHash: string; contributionId: string };
        if (b.status === 'failed') throw new Error(JSON.stringify(b));
        return b.status === 'submitted' ? b : undefined;
      });
      expect(done.txHash).toBe(sent.txHash);
      const iface = new Interface(contractAbis.DatanetRegistry as never);
      const logs = await chain.provider.getLogs({ address: chain.deployment.contracts.DatanetRegistry, topics: [iface.getEvent('ContributionSubmitted')!.topicHash], fromBlock: 0 });
      const forBatch = logs.map((l) => iface.parseLog(l)!).filter((l) => l.args.batchRoot === batch.batchRoot);
      expect(forBatch).toHaveLength(1);
      expect(String(forBatch[0]!.args.contributionId)).toBe(done.contributionId);
      expect(await chain.provider.getTransactionCount(relayer.address, 'latest')).toBe(relayerNonceBefore + 1);
    } finally {
      await chain.anvil.rpc('evm_setAutomine', [true]);
      await second?.close();
    }
  });
});
