import { Wallet } from 'ethers';
import { batchRoot, getDatanetRegistry, recordHash } from '@openledger/sdk';
import { QUEUES, contributionJobId } from '@openledger/service-kit';
import { fundAndStake, startTestChain, type TestChain } from './helpers/chain.js';
import { signIn, startTestService, type TestService } from './helpers/service.js';

const OPEN = 10n ** 18n;
const SCHEMA = { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 }, label: { type: 'string' } }, additionalProperties: false };

async function send(wallet: Wallet, tx: { to: string; data: string }) {
  const receipt = await (await wallet.sendTransaction({ to: tx.to, data: tx.data })).wait();
  if (receipt?.status !== 1) throw new Error('transaction reverted');
  return receipt;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([['postgres'], ['pglite']] as const)('datanet flow on %s', (kind) => {
  let chain: TestChain;
  let service: TestService;
  let owner: Wallet, contributor: Wallet, curator: Wallet, relayer: Wallet;
  const describeOrSkip = kind === 'postgres' && !process.env.DATABASE_URL ? it.skip : it;

  beforeAll(async () => {
    if (kind === 'postgres' && !process.env.DATABASE_URL) return;
    chain = await startTestChain();
    [owner, contributor, curator] = chain.wallets as [Wallet, Wallet, Wallet];
    relayer = chain.wallets[9]!;
    service = await startTestService(chain, { kind, relayer });
  }, 600_000);

  afterAll(async () => {
    await service?.close();
    await chain?.stop();
  });

  async function uploadAndRelay(auth: string, lines: string[]) {
    const { app } = service;
    const up = await app.inject({
      method: 'POST',
      url: '/datanets/1/batches',
      headers: { authorization: auth, 'content-type': 'application/x-ndjson' },
      payload: `${lines.join('\n')}\n`,
    });
    expect(up.statusCode).toBe(201);
    const batch = up.json() as { batchId: string; batchRoot: string; recordCount: number; typedData: { domain: Record<string, string>; types: Record<string, { name: string; type: string }[]>; message: Record<string, string> } };
    expect(batch.recordCount).toBe(lines.length);
    expect(batch.batchRoot).toBe(batchRoot(lines.map((l) => recordHash(l))));
    const { EIP712Domain: _, ...types } = batch.typedData.types;
    const signature = await contributor.signTypedData(batch.typedData.domain, types, batch.typedData.message);
    const signed = await app.inject({
      method: 'POST',
      url: `/batches/${batch.batchId}/signature`,
      payload: { signature, nonce: batch.typedData.message.nonce, deadline: batch.typedData.message.deadline },
    });
    expect(signed.statusCode).toBe(202);
    const submitted = await waitFor('relayed submission', async () => {
      const res = (await app.inject({ method: 'GET', url: `/batches/${batch.batchId}` })).json() as { status: string; contributionId: string | null };
      if (res.status === 'failed') throw new Error(`relay failed: ${JSON.stringify(res)}`);
      return res.status === 'submitted' ? res : undefined;
    });
    return { batch, contributionId: submitted.contributionId! };
  }

  describeOrSkip('creates, stakes, uploads, relays, reviews, mirrors, exports and survives a reorg', async () => {
    const { app } = service;
    // owner creates a datanet with a record schema (metadata stored by the service)
    const ownerAuth = await signIn(app, owner);
    const created = await app.inject({
      method: 'POST',
      url: '/datanets',
      headers: { authorization: ownerAuth },
      payload: { name: 'Medical QA', description: 'questions and answers', schema: SCHEMA, minStake: String(100n * OPEN), curators: [curator.address] },
    });
    expect(created.statusCode).toBe(200);
    await send(owner, (created.json() as { transaction: { to: string; data: string } }).transaction);
    await fundAndStake(chain, contributor, 1n, 1000n * OPEN, 150n * OPEN);
    await fundAndStake(chain, curator, 1n, 1000n * OPEN, 100n * OPEN);
    await app.background.syncMirror();
    const datanet = (await app.inject({ method: 'GET', url: '/datanets/1' })).json() as Record<string, unknown>;
    expect(datanet).toMatchObject({ id: '1', name: 'Medical QA', minStake: String(100n * OPEN), totalStaked: String(250n * OPEN), curators: [curator.address], recordSchema: SCHEMA });
    expect(((await app.inject({ method: 'GET', url: '/datanets?q=medical' })).json() as { total: number }).total).toBe(1);
    expect(((await app.inject({ method: 'GET', url: '/datanets?q=nothing-like-it' })).json() as { total: number }).total).toBe(0);

    // contributor uploads JSONL and the service relays the signed batch
    const contributorAuth = await signIn(app, contributor);
    const lines = [JSON.stringify({ text: 'what is a datanet?' }), JSON.stringify({ text: 'a community dataset', label: 'a' }), JSON.stringify({ text: 'ünïcödé ✓' })];
    const { batch, contributionId } = await uploadAndRelay(contributorAuth, lines);
    expect(contributionId).toBe('1');
    const onchain = await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, chain.provider).contribution(1);
    expect(onchain.batchRoot).toBe(batch.batchRoot);
    expect(onchain.contributor).toBe(contributor.address);

    // curator sees it pending, reads the records, accepts through the returned call
    await app.background.syncMirror();
    const curatorAuth = await signIn(app, curator);
    const pending = (await app.inject({ method: 'GET', url: '/datanets/1/contributions?status=pending' })).json() as { items: { id: string; batchId: string }[] };
    expect(pending.items.map((c) => [c.id, c.batchId])).toEqual([['1', batch.batchId]]);
    const records = (await app.inject({ method: 'GET', url: '/contributions/1/records', headers: { authorization: curatorAuth } })).json() as { items: { index: number; record: unknown; recordHash: string }[] };
    expect(records.items.map((r) => r.record)).toEqual(lines.map((l) => JSON.parse(l)));
    expect(records.items.map((r) => r.recordHash)).toEqual(lines.map((l) => recordHash(l)));
    const outsider = await signIn(app, chain.wallets[5]!);
    expect((await app.inject({ method: 'GET', url: '/contributions/1/records', headers: { authorization: outsider } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/contributions/1/review', headers: { authorization: outsider }, payload: { decision: 'accept' } })).statusCode).toBe(403);
    const selfReview = await app.inject({ method: 'POST', url: '/contributions/1/review', headers: { authorization: contributorAuth }, payload: { decision: 'accept' } });
    expect(selfReview.statusCode).toBe(403);
    const review = await app.inject({ method: 'POST', url: '/contributions/1/review', headers: { authorization: curatorAuth }, payload: { decision: 'accept', weight: '7' } });
    expect(review.statusCode).toBe(200);
    await send(curator, (review.json() as { transaction: { to: string; data: string } }).transaction);
    await app.background.syncMirror();
    expect((await app.inject({ method: 'GET', url: `/batches/${batch.batchId}` })).json()).toMatchObject({ status: 'submitted', contributionId: '1', contributionStatus: 'accepted' });
    const job = await app.background.queues[QUEUES.contributionAccepted]!.getJob(contributionJobId('1'));
    expect(job?.data).toEqual({
      datanetId: '1',
      contributionId: '1',
      contributor: contributor.address,
      weight: '7',
      recordCount: 3,
      batchRoot: batch.batchRoot,
      exportUrl: 'http://datanets.test/contributions/1/export.jsonl',
    });
    const exported = (await app.inject({ method: 'GET', url: '/contributions/1/export.jsonl' })).body.trim().split('\n').map((l) => JSON.parse(l));
    expect(exported.map((e) => [e.contributionId, e.contributor, e.index, e.record])).toEqual(lines.map((l, i) => ['1', contributor.address, i, JSON.parse(l)]));
    expect((await app.inject({ method: 'GET', url: '/datanets/1/export.jsonl' })).body.trim().split('\n')).toHaveLength(3);

    // reorg: a second contribution is accepted, then the chain reverts to before the acceptance
    const second = await uploadAndRelay(contributorAuth, [JSON.stringify({ text: 'second batch' })]);
    await app.background.syncMirror();
    const snapshot = await chain.anvil.rpc<string>('evm_snapshot');
    const review2 = await app.inject({ method: 'POST', url: `/contributions/${second.contributionId}/review`, headers: { authorization: curatorAuth }, payload: { decision: 'accept' } });
    await send(curator, (review2.json() as { transaction: { to: string; data: string } }).transaction);
    await app.background.syncMirror();
    expect(((await app.inject({ method: 'GET', url: `/contributions/${second.contributionId}` })).json() as { status: string }).status).toBe('accepted');
    expect(((await app.inject({ method: 'GET', url: '/datanets/1' })).json() as { acceptedCount: number }).acceptedCount).toBe(2);
    await chain.anvil.rpc('evm_revert', [snapshot]);
    await chain.anvil.rpc('evm_mine');
    await chain.anvil.rpc('evm_mine');
    await app.background.syncMirror();
    expect(((await app.inject({ method: 'GET', url: `/contributions/${second.contributionId}` })).json() as { status: string }).status).toBe('pending');
    expect(((await app.inject({ method: 'GET', url: '/datanets/1' })).json() as { acceptedCount: number; totalStaked: string }).acceptedCount).toBe(1);
    const revoked = await app.background.queues[QUEUES.contributionRevoked]!.getJob(contributionJobId(second.contributionId));
    expect(revoked?.data).toMatchObject({ contributionId: second.contributionId, contributor: contributor.address });
    expect((revoked?.data as { reason: string }).reason).toMatch(/reorganisation/);
    // the first acceptance (before the snapshot) is untouched
    expect(((await app.inject({ method: 'GET', url: '/contributions/1' })).json() as { status: string }).status).toBe('accepted');

    // reorg under a relayed submission: the batch goes back to signed and the relayer submits it again
    const beforeThird = await chain.anvil.rpc<string>('evm_snapshot');
    const third = await uploadAndRelay(contributorAuth, [JSON.stringify({ text: 'third batch' })]);
    await app.background.syncMirror();
    await chain.anvil.rpc('evm_revert', [beforeThird]);
    await chain.anvil.rpc('evm_mine');
    await app.background.syncMirror();
    expect(((await app.inject({ method: 'GET', url: `/contributions/${third.contributionId}` })).statusCode)).toBe(404);
    const registryView = getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, chain.provider);
    expect(await registryView.contributionCount()).toBe(BigInt(third.contributionId) - 1n); // the submission is gone from the chain
    const resubmitted = await waitFor('the batch to be relayed again after the reorg', async () => {
      const b = (await app.inject({ method: 'GET', url: `/batches/${third.batch.batchId}` })).json() as { status: string; contributionId: string };
      if (b.status !== 'submitted' || (await registryView.contributionCount()) < BigInt(b.contributionId)) return undefined;
      return b;
    });
    expect((await registryView.contribution(resubmitted.contributionId)).batchRoot).toBe(third.batch.batchRoot);
    await app.background.syncMirror();
    expect((await app.inject({ method: 'GET', url: `/contributions/${resubmitted.contributionId}` })).json()).toMatchObject({ status: 'pending', batchId: third.batch.batchId });

    // a curator revokes the first contribution on chain: mirrored, announced, no longer exported
    await (await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, curator).revokeContribution(1, false, 'duplicates found')).wait();
    await app.background.syncMirror();
    expect((await app.inject({ method: 'GET', url: '/contributions/1' })).json()).toMatchObject({ status: 'revoked', reason: 'duplicates found' });
    const revokedJob = await app.background.queues[QUEUES.contributionRevoked]!.getJob(contributionJobId('1'));
    expect(revokedJob?.data).toEqual({ datanetId: '1', contributionId: '1', contributor: contributor.address, reason: 'duplicates found' });
    expect((await app.inject({ method: 'GET', url: '/datanets/1/export.jsonl' })).body).toBe('');
  });
});
