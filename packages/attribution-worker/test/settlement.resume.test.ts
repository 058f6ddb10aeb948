import { eq } from 'drizzle-orm';
import { parseEther, Wallet } from 'ethers';
import type { Attributor } from '../src/attributor.js';
import { chainSends, epochs } from '../src/db/schema.js';
import type { CrashPoint } from '../src/settlement/settler.js';
import { contributorsPart, fundPayer, makeAttributor, makeSettler, openTestDb, postedRoot, startChain, tempDir, usageJob, type ChainFixture } from './helpers.js';

const MODEL_OWNER = '0x00000000000000000000000000000000000000f2' as const;
const POINTS: CrashPoint[] = [
  'after-open',
  'collect-before-broadcast',
  'collect-after-receipt',
  'after-collected',
  'root-before-commit',
  'after-root-built',
  'post-before-broadcast',
  'post-after-receipt',
  'after-posted',
];

class Crash extends Error {}

describe('kill and resume: an epoch interrupted at any state settles exactly once', () => {
  let fx: ChainFixture;
  let dbh: Awaited<ReturnType<typeof openTestDb>>;
  let tmp: ReturnType<typeof tempDir>;
  let attributor: Attributor;
  let authorization: Awaited<ReturnType<typeof fundPayer>>['authorization'];
  let payer: string;
  const A = new Wallet('0x' + '33'.repeat(32));

  beforeAll(async () => {
    fx = await startChain();
    dbh = await openTestDb('attribution_resume');
    tmp = tempDir('attr-resume-');
    attributor = makeAttributor(dbh.db, tmp.dir);
    await attributor.indexContribution(
      { datanetId: '1', contributionId: 'k1', contributor: A.address as `0x${string}`, weight: '1', recordCount: 1, batchRoot: `0x${'00'.repeat(32)}`, exportUrl: 'http://unused' },
      ['Seven silver herons waded through the reeds at first light.'],
    );
    const funded = await fundPayer(fx, fx.anvil.accounts[7]!.privateKey, '100', '100');
    authorization = funded.authorization;
    payer = funded.payer.address;
  }, 240_000);

  afterAll(async () => {
    await dbh?.handle.close();
    await dbh?.test.drop();
    tmp?.remove();
    await fx?.anvil.stop();
  });

  it.each([...POINTS.map((p) => [p, false] as const), ['collect-after-receipt', true] as const])('crash at %s (stored transaction lost: %s)', async (point, loseStoredTx) => {
    const fee = parseEther('1');
    await attributor.scoreUsage(usageJob(`k-${point}${loseStoredTx ? "-lost" : ""}`, authorization, 'seven silver herons waded through the reeds', fee, MODEL_OWNER));
    const escrow = fx.contracts.FeeEscrow;
    const settlement = fx.contracts.AttributionSettlement;
    const spentBefore = await escrow.spent(payer, fx.operator.address);
    const postedBefore = await settlement.lastPostedEpoch();
    const totalBefore = postedBefore === 0n ? 0n : (await postedRoot(settlement, postedBefore)).total;

    let crashed = false;
    const crashing = makeSettler(dbh.db, fx, tmp.dir, (p) => {
      if (p === point && !crashed) {
        crashed = true;
        throw new Crash(p);
      }
    });
    await expect(crashing.tick(new Date())).rejects.toBeInstanceOf(Crash);
    expect(crashed).toBe(true);
    // Worst case: the signed transaction row is gone too; the chain (spent() + Collected event) must answer.
    if (loseStoredTx) await dbh.db.delete(chainSends);

    // A fresh worker (new objects, same database and chain) resumes.
    const resumed = makeSettler(dbh.db, fx, tmp.dir);
    const epoch = await resumed.tick(new Date());
    expect(epoch).not.toBeNull();
    expect(await resumed.tick(new Date())).toBeNull();

    // Collected exactly once, posted exactly once, paying exactly the contributors' part more.
    expect((await escrow.spent(payer, fx.operator.address)) - spentBefore).toBe(fee);
    expect(await settlement.lastPostedEpoch()).toBe(postedBefore + 1n);
    const [row] = await dbh.db.select().from(epochs).where(eq(epochs.epoch, epoch!));
    expect(row!.state).toBe('done');
    const onChain = await postedRoot(settlement, postedBefore + 1n);
    expect(onChain.root).toBe(row!.root);
    expect(onChain.total - totalBefore).toBe(contributorsPart(fee));
    expect(BigInt(row!.total!)).toBe(onChain.total);
  });
});
