// Upload throughput and memory: one 1 GiB file as a multipart upload (streamed to a content-addressed
// blob while keccak-hashed) into the service running as its own process (`node dist/main.js`; run
// `pnpm --filter @openledger/datanet-service build` first). Memory is the server's VmHWM/VmRSS from /proc.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { buildSiweMessage, getDatanetRegistry } from '@openledger/sdk';
import { freePort } from '@openledger/sdk/testing';
import { createTestDatabase, testRedisUrl } from '@openledger/service-kit/testing';
import { startTestChain } from '../test/helpers/chain.js';
import { post } from './harness.js';

const SIZE = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 ** 3);
const PACKAGE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'datanet-upload-bench-'));
const file = join(dir, 'big.bin');
const out = createWriteStream(file);
const block = randomBytes(1 << 20);
for (let written = 0; written < SIZE; written += block.length) {
  if (!out.write(block.subarray(0, Math.min(block.length, SIZE - written)))) await once(out, 'drain');
}
out.end();
await once(out, 'finish');

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MB`;

const chain = await startTestChain();
const database = await createTestDatabase('datanet_bench');
try {
  const uri = `data:application/json;base64,${Buffer.from(JSON.stringify({ description: 'files' })).toString('base64')}`;
  await (await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, chain.wallets[0]!).createDatanet('files', uri, 0, [])).wait();
  writeFileSync(join(dir, 'deployment.json'), JSON.stringify(chain.deployment));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(PACKAGE_DIR, 'dist', 'main.js')], {
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
      QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      MAX_UPLOAD_BYTES: String(SIZE + 1024 ** 2),
      MAX_RECORD_BYTES: String(SIZE),
      POLLING_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    for (let i = 0; !(await fetch(`${base}/datanets/1`).then((r) => r.ok, () => false)); i++) {
      if (i > 600) throw new Error('service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallet = chain.wallets[1]!;
    const { nonce, domain, chainId } = (await (await fetch(`${base}/auth/nonce`, { method: 'POST' })).json()) as { nonce: string; domain: string; chainId: number };
    const message = buildSiweMessage({ domain, address: wallet.address, uri: base, version: '1', chainId, nonce, issuedAt: new Date().toISOString() });
    const { token } = (await (await fetch(`${base}/auth/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, signature: await wallet.signMessage(message) }) })).json()) as { token: string };

    const boundary = `----bench${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Readable.from(
      (async function* () {
        yield head;
        for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
        yield tail;
      })(),
    );
    const before = memory(server.pid!);
    let sampledMax = before.rss;
    const sampler = setInterval(() => (sampledMax = Math.max(sampledMax, memory(server.pid!).rss)), 50);
    const t0 = performance.now();
    const res = await post(
      `${base}/datanets/1/batches`,
      { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + SIZE + tail.length) },
      body,
    );
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const after = memory(server.pid!);
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${res.text.slice(0, 500)}`);
    console.log(`upload.size ${(SIZE / 1024 ** 3).toFixed(2)} GiB, one multipart file, database ${database.kind}`);
    console.log(`upload.throughput ${(SIZE / 1e6 / seconds).toFixed(1)} MB/s (${seconds.toFixed(1)} s)`);
    console.log(`upload.server_rss before ${mb(before.rss)}, max during upload ${mb(sampledMax)}, after ${mb(after.rss)}, process peak (VmHWM) ${mb(after.peak)}`);
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
} finally {
  await database.drop();
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
}
