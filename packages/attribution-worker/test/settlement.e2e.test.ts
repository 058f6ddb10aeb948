import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { formatUnits, getAddress, parseEther, Wallet } from 'ethers';
// The contributor CLI's rewards commands, exercised against this package's proof API (test-only import).
import { rewardsClaim } from '../../cli/src/commands/rewards-claim.js';
import { rewardsStatus } from '../../cli/src/commands/rewards-status.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { Attributor } from '../src/attributor.js';
import {
  contributorsPart,
  fundPayer,
  makeAttributor,
  makeSettler,
  openTestDb,
  startChain,
  tempDir,
  usageJob,
  type ChainFixture,
  postedRoot,
} from './helpers.js';

const MODEL_OWNER = '0x00000000000000000000000000000000000000f1' as const;

describe('end to end on anvil: usage events → epoch settlement → claims', () => {
  let fx: ChainFixture;
  let dbh: Awaited<ReturnType<typeof openTestDb>>;
  let tmp: ReturnType<typeof tempDir>;
  let attributor: Attributor;
  let app: FastifyInstance;
  const A = new Wallet('0x' + '11'.repeat(32));
  const B = new Wallet('0x' + '22'.repeat(32));

  beforeAll(async () => {
    fx = await startChain();
    dbh = await openTestDb('attribution_e2e');
    tmp = tempDir('attr-e2e-');
    attributor = makeAttributor(dbh.db, tmp.dir);
    app = await buildApp({ logLevel: 'silent' }, { db: dbh.db, settlementAddress: fx.deployment.contracts.AttributionSettlement });
    const accepted = (contributionId: string, contributor: string, weight: string) => ({
      datanetId: '1',
      contributionId,
      contributor: contributor as `0x${string}`,
      weight,
      recordCount: 1,
      batchRoot: ('0x' + '00'.repeat(32)) as `0x${string}`,
      exportUrl: 'http://unused',
    });
    await attributor.indexContribution(accepted('c1', A.address, '1'), [{ text: 'The harbour lights flickered over the quiet northern bay at dusk.' }]);
    await attributor.indexContribution(accepted('c2', B.address, '1'), ['Copper kettles whistled in every kitchen of the old mill town.']);
    await attributor.indexContribution(accepted('c3', A.address, '2'), [{ title: 'notes', body: 'Granite cliffs rise steeply behind the fishing village.' }]);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await dbh?.handle.close();
    await dbh?.test.drop();
    tmp?.remove();
    await fx?.anvil.stop();
  });

  it('collects within signed limits, posts the root and pays claims exactly', async () => {
    const { payer, authorization } = await fundPayer(fx, fx.anvil.accounts[5]!.privateKey, '100', '50');
    // A second payer whose cap is below its fee: its collect is refused on chain and pays nobody.
    const poor = await fundPayer(fx, fx.anvil.accounts[6]!.privateKey, '100', '0.5');

    const u1 = await attributor.scoreUsage(usageJob('u1', authorization, 'Yes: the harbour lights flickered over the quiet bay.', parseEther('1'), MODEL_OWNER));
    const u2 = await attributor.scoreUsage(usageJob('u2', authorization, 'copper kettles whistled in every kitchen, they said', parseEther('2'), MODEL_OWNER));
    const u3 = await attributor.scoreUsage(usageJob('u3', authorization, 'Nothing here matches anything.', parseEther('1'), MODEL_OWNER));
    await attributor.scoreUsage(usageJob('p1', poor.authorization, 'the harbour lights flickered over the quiet', parseEther('1'), MODEL_OWNER));
    expect(u1!.method).toBe('span');
    expect(u1!.scores.map((s) => s.contributionId)).toEqual(['c1']);
    expect(u2!.scores.map((s) => s.contributionId)).toEqual(['c2']);
    expect(u3!.method).toBe('weight'); // c1:1, c2:1, c3:2
    // Replayed event: stored once.
    expect(await attributor.scoreUsage(usageJob('u1', authorization, 'x', 1n, MODEL_OWNER))).toBeNull();

    const spentBefore = await fx.contracts.FeeEscrow.spent(payer.address, fx.operator.address);
    const settler = makeSettler(dbh.db, fx, tmp.dir);
    expect(await settler.tick(new Date())).toBe(1);
    expect(await settler.tick(new Date())).toBeNull(); // nothing left

    // Collected once, 4 OPEN from the payer; the poor payer's collect failed.
    expect((await fx.contracts.FeeEscrow.spent(payer.address, fx.operator.address)) - spentBefore).toBe(parseEther('4'));
    expect(await fx.contracts.FeeEscrow.spent(poor.payer.address, fx.operator.address)).toBe(0n);

    // Contributors' part of 4 OPEN = 2 OPEN. Weights: A = 1·1 (u1) + 1·¾ (u3) = 1.75, B = 2·1 (u2) + 1·¼ (u3) = 2.25.
    const part = contributorsPart(parseEther('4'));
    expect(part).toBe(parseEther('2'));
    const expectedA = (part * 175n) / 400n;
    const expectedB = part - expectedA;
    const oz = StandardMerkleTree.of(
      [
        [A.address, expectedA.toString()],
        [B.address, expectedB.toString()],
      ],
      ['address', 'uint256'],
    );
    const onChain = await postedRoot(fx.contracts.AttributionSettlement, 1n);
    expect(onChain.root).toBe(oz.root);
    expect(onChain.total).toBe(part);

    // Published leaf set and proofs.
    const leaves = await app.inject({ method: 'GET', url: '/v1/epochs/1/leaves' });
    expect(leaves.statusCode).toBe(200);
    expect(leaves.json().leaves).toEqual(
      [
        { account: A.address, cumulativeAmount: expectedA.toString() },
        { account: B.address, cumulativeAmount: expectedB.toString() },
      ].sort((x, y) => (x.account.toLowerCase() < y.account.toLowerCase() ? -1 : 1)),
    );
    const missing = await app.inject({ method: 'GET', url: `/v1/rewards/${fx.operator.address}/proof` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toMatch(/no reward/);
    const bad = await app.inject({ method: 'GET', url: '/v1/rewards/0x1234/proof' });
    expect(bad.statusCode).toBe(400);

    // Past the challenge window anyone submits the claim calldata; tokens go to the account.
    await fx.anvil.rpc('evm_increaseTime', [2 * 86400]);
    await fx.anvil.rpc('evm_mine', []);
    const claimer = new Wallet(fx.anvil.accounts[9]!.privateKey, fx.provider);
    for (const [who, amount] of [
      [A, expectedA],
      [B, expectedB],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/v1/rewards/${who.address}/proof` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.proof).toEqual(oz.getProof([who.address, amount.toString()]));
      const before = await fx.contracts.OpenToken.balanceOf(who.address);
      await (await claimer.sendTransaction({ to: body.claim.to, data: body.claim.data })).wait();
      expect((await fx.contracts.OpenToken.balanceOf(who.address)) - before).toBe(amount);
    }

    // Epoch 2: one more inference for B; cumulative leaves, a claim pays only the difference.
    await attributor.scoreUsage(usageJob('u4', authorization, 'copper kettles whistled in every kitchen of the old mill', parseEther('1'), MODEL_OWNER));
    expect(await settler.tick(new Date())).toBe(2);
    await fx.anvil.rpc('evm_increaseTime', [2 * 86400]);
    await fx.anvil.rpc('evm_mine', []);
    const rewards = await app.inject({ method: 'GET', url: `/v1/rewards/${B.address}` });
    expect(rewards.json().epochs.map((e: { cumulativeAmount: string }) => e.cumulativeAmount)).toEqual([
      expectedB.toString(),
      (expectedB + parseEther('0.5')).toString(),
    ]);
    // The contributor CLI (openledger rewards status / claim) against the running proof API.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const out: string[] = [];
    const io = { env: {}, stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true } };
    const common = ['--rewards-url', address, '--rpc-url', fx.anvil.rpcUrl, '--private-key', fx.anvil.accounts[9]!.privateKey];
    await rewardsStatus.run([B.address, ...common], io);
    expect(out.join('')).toContain(formatUnits(expectedB + parseEther('0.5'), 18));
    const before = await fx.contracts.OpenToken.balanceOf(B.address);
    await rewardsClaim.run([B.address, ...common], io);
    expect((await fx.contracts.OpenToken.balanceOf(B.address)) - before).toBe(parseEther('0.5'));
    await rewardsClaim.run([B.address, ...common], io);
    expect(out.join('')).toMatch(/nothing to claim/);
    await expect(rewardsClaim.run(['0x1234', ...common], io)).rejects.toThrow(/<account>/);
    const epochsList = (await app.inject({ method: 'GET', url: '/v1/epochs' })).json();
    expect(epochsList.epochs.map((e: { state: string; chainEpoch: number }) => [e.state, e.chainEpoch])).toEqual([
      ['done', 2],
      ['done', 1],
    ]);
    expect(getAddress(A.address)).toBe(A.address);
  });
});
