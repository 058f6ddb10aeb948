import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Wallet } from 'ethers';
import { batchRoot, recordHash } from '@openledger/sdk';
import { createRedis, QUEUES, contributionJobId, usageJobId, type ContributionAcceptedJob } from '@openledger/service-kit';
import { testRedisUrl } from '@openledger/service-kit/testing';
import type { Attributor } from '../src/attributor.js';
import { contributionAcceptedProcessor } from '../src/workers/contribution-accepted.js';
import { contributionRevokedProcessor } from '../src/workers/contribution-revoked.js';
import { usageEventsProcessor } from '../src/workers/usage-events.js';
import { makeAttributor, openTestDb, tempDir, usageJob } from './helpers.js';

const A = new Wallet('0x' + '44'.repeat(32)).address as `0x${string}`;
const records = [{ text: 'Lanterns of amber glass hung over the narrow canal.' }, { text: 'Barges carried salt and timber down to the estuary.' }];

describe('BullMQ consumers on a real Redis', () => {
  const prefix = `attr-test-${randomBytes(4).toString('hex')}`;
  const connection = createRedis(testRedisUrl());
  let server: Server;
  let base: string;
  let exports: Record<string, string> = {};
  let dbh: Awaited<ReturnType<typeof openTestDb>>;
  let tmp: ReturnType<typeof tempDir>;
  let attributor: Attributor;
  const workers: Worker[] = [];
  const queues: Record<string, Queue> = {};
  const events: Record<string, QueueEvents> = {};
  const extraConnections: ReturnType<typeof createRedis>[] = [];

  beforeAll(async () => {
    // Serves JSONL in datanet-service's export format.
    server = createServer((req, res) => {
      const body = exports[req.url ?? ''];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dbh = await openTestDb('attribution_workers');
    tmp = tempDir('attr-workers-');
    attributor = makeAttributor(dbh.db, tmp.dir);
    const processors = {
      [QUEUES.contributionAccepted]: contributionAcceptedProcessor(attributor, 1024 * 1024),
      [QUEUES.contributionRevoked]: contributionRevokedProcessor(attributor),
      [QUEUES.usageEvents]: usageEventsProcessor(attributor),
    };
    for (const [name, processor] of Object.entries(processors)) {
      workers.push(new Worker(name, processor as never, { connection, prefix }));
      queues[name] = new Queue(name, { connection, prefix });
      const eventsConnection = createRedis(testRedisUrl());
      extraConnections.push(eventsConnection);
      events[name] = new QueueEvents(name, { connection: eventsConnection, prefix });
      await events[name]!.waitUntilReady();
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await Promise.all(Object.values(events).map((e) => e.close()));
    connection.disconnect();
    for (const c of extraConnections) c.disconnect();
    server.closeAllConnections();
    server.close();
    await dbh.handle.close();
    await dbh.test.drop();
    tmp.remove();
  });

  function exportOf(contributionId: string, recs: unknown[]): { body: string; root: `0x${string}` } {
    const hashes = recs.map((r) => recordHash(JSON.stringify(r)));
    const body = recs.map((record, index) => JSON.stringify({ contributionId, contributor: A, index, recordHash: hashes[index], record })).join('\n') + '\n';
    return { body, root: batchRoot(hashes) as `0x${string}` };
  }

  const accepted = (contributionId: string, root: `0x${string}`, recordCount: number): ContributionAcceptedJob => ({
    datanetId: '7',
    contributionId,
    contributor: A,
    weight: '1',
    recordCount,
    batchRoot: root,
    exportUrl: `${base}/contributions/${contributionId}/export.jsonl`,
  });

  it('indexes a verified export, refuses a tampered one, scores usage, and drops a revoked contribution', async () => {
    const good = exportOf('w1', records);
    exports = { '/contributions/w1/export.jsonl': good.body };
    const q = queues[QUEUES.contributionAccepted]!;
    const job = await q.add('accepted', accepted('w1', good.root, 2), { jobId: contributionJobId('w1') });
    expect(await job.waitUntilFinished(events[QUEUES.contributionAccepted]!, 30_000)).toEqual({ indexed: true, records: 2, byteVerified: 2 });
    expect(attributor.index('7').has('w1')).toBe(true);

    // Tampered: a record changed after anchoring → its root no longer matches; nothing indexed, no retries.
    const tampered = exportOf('w2', [{ text: 'something else entirely' }]);
    exports['/contributions/w2/export.jsonl'] = tampered.body;
    const bad = await q.add('accepted', accepted('w2', good.root, 1), { jobId: contributionJobId('w2'), attempts: 3 });
    await expect(bad.waitUntilFinished(events[QUEUES.contributionAccepted]!, 30_000)).rejects.toThrow(/batch root/);
    expect((await q.getJob(contributionJobId('w2')))!.attemptsMade).toBe(1);
    expect(attributor.index('7').has('w2')).toBe(false);

    const auth = { payer: A, operator: A, cap: '1000', expiry: 4_000_000_000, signature: `0x${'11'.repeat(65)}` as `0x${string}` };
    const usage = { ...usageJob('w-u1', auth, 'lanterns of amber glass hung over the canal', 10n, A), datanetIds: ['7'] };
    const u = await queues[QUEUES.usageEvents]!.add('usage', usage, { jobId: usageJobId('w-u1') });
    expect(await u.waitUntilFinished(events[QUEUES.usageEvents]!, 30_000)).toEqual({ method: 'span', spans: 1, contributions: 1 });
    // Bad input: unrecoverable, with the field named.
    const broken = await queues[QUEUES.usageEvents]!.add('usage', { ...usage, usageId: 'w-u2', feeWei: '-5' }, { jobId: usageJobId('w-u2'), attempts: 3 });
    await expect(broken.waitUntilFinished(events[QUEUES.usageEvents]!, 30_000)).rejects.toThrow(/feeWei/);

    const r = await queues[QUEUES.contributionRevoked]!.add('revoked', { datanetId: '7', contributionId: 'w1', contributor: A, reason: 'slashed' }, { jobId: contributionJobId('w1') });
    await r.waitUntilFinished(events[QUEUES.contributionRevoked]!, 30_000);
    expect(attributor.index('7').has('w1')).toBe(false);
    expect(attributor.attribute({ ...usage, datanetIds: ['7'] }).scores).toEqual([]);
  });
});
