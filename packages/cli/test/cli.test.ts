import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Wallet } from 'ethers';
import { getDatanetRegistry, getOpenToken } from '@openledger/sdk';
import { freePort } from '@openledger/sdk/testing';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@openledger/service-kit/testing';
// the datanet service's own test chain helper (anvil + the deploy script + the registry)
import { startTestChain, type TestChain } from '../../datanet-service/test/helpers/chain.js';
import { main } from '../src/cli.js';

const SERVICE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'datanet-service');
const OPEN = 10n ** 18n;

function capture(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } }, out, err };
}

describe('openledger CLI against the datanet service', () => {
  let chain: TestChain;
  let database: TestDatabase;
  let dir: string;
  let child: ChildProcess;
  let base: string;
  let contributor: Wallet;

  beforeAll(async () => {
    chain = await startTestChain();
    const [owner] = chain.wallets as [Wallet];
    contributor = chain.wallets[7]!;
    const schema = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
    const uri = `data:application/json;base64,${Buffer.from(JSON.stringify({ schema })).toString('base64')}`;
    await (await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, owner).createDatanet('cli', uri, 100n * OPEN, [])).wait();
    await (await getOpenToken(chain.deployment.contracts.OpenToken, owner).transfer(contributor.address, 1000n * OPEN)).wait();
    database = await createTestDatabase('datanet_cli');
    dir = mkdtempSync(join(tmpdir(), 'openledger-cli-'));
    writeFileSync(join(dir, 'deployment.json'), JSON.stringify(chain.deployment));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', join(SERVICE_DIR, 'src', 'main.ts')], {
      cwd: SERVICE_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url ?? '',
        DATA_DIR: join(dir, 'service'),
        REDIS_URL: testRedisUrl(),
        RPC_URL: chain.anvil.rpcUrl,
        CHAIN_ID: String(chain.anvil.chainId),
        DEPLOYMENTS_FILE: join(dir, 'deployment.json'),
        RELAYER_PRIVATE_KEY: chain.wallets[9]!.privateKey,
        QUEUE_PREFIX: `cli-${randomBytes(4).toString('hex')}`,
        POLLING_INTERVAL_MS: '200',
        LOG_LEVEL: 'warn',
      },
    });
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/datanets/1`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 600) throw new Error('the datanet service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 300_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
    await chain?.stop();
  });

  it('stakes, uploads with a verified root, relays, and reports the status', async () => {
    const env = { OPENLEDGER_PRIVATE_KEY: contributor.privateKey, OPENLEDGER_SERVICE_URL: base, OPENLEDGER_RPC_URL: chain.anvil.rpcUrl };
    const stake = capture(env);
    expect(await main(['datanet', 'stake', '150', '--datanet', '1'], stake.io)).toBe(0);
    expect(stake.out.join('')).toMatch(/staked 150\.0 OPEN on datanet 1 .* active stake 150\.0 OPEN/);
    expect((await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, chain.provider).stakeOf(1, contributor.address)).amount).toBe(150n * OPEN);

    const file = join(dir, 'records.jsonl');
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ text: `record ${i}` })).join('\n'));
    const upload = capture(env);
    const code = await main(['datanet', 'upload', file, '--datanet', '1'], upload.io);
    expect(upload.err.join('')).toMatch(/hashing: 100%/);
    expect(upload.err.join('')).toMatch(/uploading: 100%/);
    expect(code).toBe(0);
    const batchId = /batch ([0-9a-f-]{36})/.exec(upload.out.join(''))![1]!;
    expect(upload.out.join('')).toMatch(/records 2000\nstatus signed/);

    let status: { status: string; contributionId: string | null } = { status: '', contributionId: null };
    for (let i = 0; i < 200 && status.status !== 'submitted'; i++) {
      const s = capture(env);
      expect(await main(['datanet', 'status', batchId, '--json'], s.io)).toBe(0);
      status = JSON.parse(s.out.join(''));
      if (status.status !== 'submitted') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toMatchObject({ status: 'submitted', contributionId: '1' });
    const text = capture(env);
    await main(['datanet', 'status', batchId], text.io);
    expect(text.out.join('')).toMatch(/recordCount\s+2000/);
  });

  it.each([
    [['datanet', 'upload', 'x.jsonl'], '--datanet: is required'],
    [['datanet', 'upload', 'x.jsonl', '--datanet', 'abc'], '--datanet: must be a positive integer'],
    [['datanet', 'upload', '/nonexistent/x.jsonl', '--datanet', '1'], '<file>: cannot read /nonexistent/x.jsonl (ENOENT)'],
    [['datanet', 'upload', '--datanet', '1'], '<file>: the file to upload is required'],
    [['datanet', 'upload', 'x.jsonl', '--datanet', '1', '--private-key', '0x1234'], '--private-key: must be a 32-byte hex private key'],
    [['datanet', 'upload', 'x.jsonl', '--datanet', '1', '--service-url', 'ftp://x'], '--service-url: must be an http(s) URL'],
    [['datanet', 'stake', 'lots', '--datanet', '1'], '<amount>: must be a decimal amount of OPEN'],
    [['datanet', 'status', 'not-a-batch'], '<batchId>: must be a batch id'],
    [['datanet', 'upload', 'x.jsonl', '--datanett', '1'], "Unknown option '--datanett'"],
  ])('%j fails naming the bad input', async (argv, message) => {
    const run = capture({ OPENLEDGER_PRIVATE_KEY: contributor.privateKey, OPENLEDGER_SERVICE_URL: base });
    expect(await main(argv, run.io)).toBe(2);
    expect(run.err.join('')).toContain(message);
  });

  it('reports a record the datanet schema refuses, with the service detail', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"text":"fine"}\n{"nope":1}\n');
    const run = capture({ OPENLEDGER_PRIVATE_KEY: contributor.privateKey, OPENLEDGER_SERVICE_URL: base });
    expect(await main(['datanet', 'upload', file, '--datanet', '1'], run.io)).toBe(1);
    expect(run.err.join('')).toMatch(/upload failed \(422\): record 1: does not match the datanet schema: \/ must have required property 'text'/);
  });
});
