import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { UsageEventJob } from '@openledger/service-kit';
import { InvalidJobError, type Attributor } from '../src/attributor.js';
import { loadConfig } from '../src/config.js';
import { usageEvents, usageScores } from '../src/db/schema.js';
import { withRetrieval } from '../src/retrieval.js';
import { distributeEpoch } from '../src/settlement/distribution.js';
import { usageEventsProcessor } from '../src/workers/usage-events.js';
import { makeAttributor, openTestDb, tempDir, usageJob } from './helpers.js';

const addr = (i: number) => `0x${i.toString(16).padStart(40, '0')}` as `0x${string}`;
const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6].map(addr) as [`0x${string}`, `0x${string}`, `0x${string}`, `0x${string}`, `0x${string}`, `0x${string}`];
const AUTH: UsageEventJob['authorization'] = { payer: addr(0xa0), operator: addr(0xb0), cap: '1000000', expiry: 2_000_000_000, signature: `0x${'11'.repeat(65)}` };
const OWNER = addr(0xc0);

/** Pays one inference's contributors' part alone (one group, one inference) by its score rows. */
function payOne(part: bigint, scores: ReadonlyArray<{ contributor: string; score: bigint }>): Map<string, bigint> {
  const { deltas, distributed } = distributeEpoch([{ contributorsPart: part, inferences: [{ feeWei: part, scores: scores.map((s) => ({ account: s.contributor, score: s.score })) }] }]);
  const sum = [...deltas.values()].reduce((a, b) => a + b, 0n);
  expect(sum).toBe(part);
  expect(distributed).toBe(part);
  return deltas;
}

describe('retrieval share (pure rule)', () => {
  it('golden: 20% split equally among distinct cited contributions, 80% by span scores', () => {
    // Spans: 10 (A) score 3, 11 (B) score 1 → T = 4. Cited: 11, 12 (C), 12 again → n = 2.
    const spans = [
      { contributionId: '10', contributor: A, score: 3n },
      { contributionId: '11', contributor: B, score: 1n },
    ];
    const scores = withRetrieval(spans, [{ contributionId: '11', contributor: B }, { contributionId: '12', contributor: C }, { contributionId: '12', contributor: C }], 2000);
    // span part × (10000 − 2000) × 2, each citation + 4 × 2000; total 2 × 4 × 10000 = 80000.
    expect(scores).toEqual([
      { contributionId: '10', contributor: A, score: 48_000n },
      { contributionId: '11', contributor: B, score: 24_000n },
      { contributionId: '12', contributor: C, score: 8_000n },
    ]);
    // 1000 wei: spans 800 → A 600, B 200; citations 200 → B 100, C 100.
    expect(payOne(1000n, scores)).toEqual(new Map([[A, 600n], [B, 300n], [C, 100n]]));
    // 7 wei: 4.2 / 2.1 / 0.7 → floors 4, 2, 0; the one wei left goes to the largest remainder (C).
    expect(payOne(7n, scores)).toEqual(new Map([[A, 4n], [B, 2n], [C, 1n]]));
  });

  it('no citation or a zero share leaves the scores unchanged; only citations share everything equally', () => {
    const spans = [{ contributionId: '10', contributor: A, score: 5n }];
    expect(withRetrieval(spans, [], 2000)).toEqual(spans);
    expect(withRetrieval(spans, [{ contributionId: '11', contributor: B }], 0)).toEqual(spans);
    const only = withRetrieval([], [{ contributionId: '12', contributor: C }, { contributionId: '11', contributor: B }], 2000);
    expect(only).toEqual([
      { contributionId: '11', contributor: B, score: 1n },
      { contributionId: '12', contributor: C, score: 1n },
    ]);
    expect(payOne(5n, only)).toEqual(new Map([[B, 3n], [C, 2n]])); // tie on remainder: lower address first
    expect(() => withRetrieval(spans, [], 10_001)).toThrow(RangeError);
  });

  it('RETRIEVAL_SHARE_BPS is read once, defaults to 2000 and is bounded to 0..10000', () => {
    expect(loadConfig({}).retrievalShareBps).toBe(2000);
    expect(loadConfig({ RETRIEVAL_SHARE_BPS: '10000' }).retrievalShareBps).toBe(10_000);
    expect(() => loadConfig({ RETRIEVAL_SHARE_BPS: '10001' })).toThrow(/RETRIEVAL_SHARE_BPS/);
  });
});

describe('retrieval payment through Attributor.scoreUsage (PGlite/Postgres, real span index)', () => {
  let dbh: Awaited<ReturnType<typeof openTestDb>>;
  let tmp: ReturnType<typeof tempDir>;
  let attributor: Attributor;
  const SPAN_TEXT = 'the violet comet drifted slowly past the frozen northern moons';
  const job = (usageId: string, outputText: string, retrieved?: unknown, datanetIds = ['1']): UsageEventJob => ({
    ...usageJob(usageId, AUTH, outputText, 1000n, OWNER),
    datanetIds,
    ...(retrieved === undefined ? {} : { retrievedContributionIds: retrieved as string[] }),
  });
  const rows = async (usageId: string) =>
    (await dbh.db.select().from(usageScores).where(eq(usageScores.usageId, usageId)))
      .map((r) => ({ contributionId: r.contributionId, contributor: r.contributor, score: BigInt(r.score) }))
      .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));

  beforeAll(async () => {
    dbh = await openTestDb('attribution_retrieval');
    tmp = tempDir('attr-retrieval-');
    attributor = makeAttributor(dbh.db, tmp.dir);
    const accept = (datanetId: string, contributionId: string, contributor: `0x${string}`, weight: string, text: string) =>
      attributor.indexContribution({ datanetId, contributionId, contributor, weight, recordCount: 1, batchRoot: `0x${'00'.repeat(32)}`, exportUrl: 'http://unused' } as never, [{ text }]);
    await accept('1', '101', A, '1', SPAN_TEXT);
    await accept('1', '102', B, '1', 'oak barrels of cider rested in the cellar');
    await accept('1', '103', C, '1', 'grey gulls argued loudly above the fish market');
    await accept('2', '201', D, '1', 'a quiet library of maps and brass instruments');
    await accept('3', '301', E, '0', 'weightless words one');
    await accept('3', '302', F, '0', 'weightless words two');
    await attributor.revokeContribution({ datanetId: '1', contributionId: '103', contributor: C, reason: 'test: revoked' } as never);
  });

  afterAll(async () => {
    await dbh.handle.close();
    await dbh.test.drop();
    tmp.remove();
  });

  it('golden: one span contribution plus a citation → 80/20 of the inference, ignoring duplicates, other datanets and unknown ids', async () => {
    const plain = attributor.attribute(job('x', `yes, ${SPAN_TEXT}.`));
    expect(plain.method).toBe('span');
    expect(plain.scores.map((s) => s.contributionId)).toEqual(['101']);
    const S = plain.scores[0]!.score;
    const scored = await attributor.scoreUsage(job('g1', `yes, ${SPAN_TEXT}.`, ['102', '102', '201', '999']));
    expect(scored!.cited).toEqual(['102']);
    // n = 1, T = S: 101 → S × 8000, 102 → S × 2000.
    const stored = await rows('g1');
    expect(stored).toEqual([
      { contributionId: '101', contributor: A.toLowerCase(), score: S * 8000n },
      { contributionId: '102', contributor: B.toLowerCase(), score: S * 2000n },
    ]);
    expect(payOne(1000n, stored)).toEqual(new Map([[A.toLowerCase(), 800n], [B.toLowerCase(), 200n]]));
    expect(payOne(999n, stored)).toEqual(new Map([[A.toLowerCase(), 799n], [B.toLowerCase(), 200n]])); // 799.2 / 199.8 → remainder wei to B
  });

  it('a revoked cited contribution gets nothing', async () => {
    const onlyRevoked = await attributor.scoreUsage(job('r1', `yes, ${SPAN_TEXT}.`, ['103']));
    expect(onlyRevoked!.cited).toEqual([]);
    const plain = attributor.attribute(job('x', `yes, ${SPAN_TEXT}.`));
    expect(await rows('r1')).toEqual(plain.scores.map((s) => ({ ...s })));
    await attributor.scoreUsage(job('r2', `yes, ${SPAN_TEXT}.`, ['103', '102']));
    const stored = await rows('r2');
    expect(stored.map((s) => s.contributionId)).toEqual(['101', '102']);
    expect(payOne(1000n, stored)).toEqual(new Map([[A.toLowerCase(), 800n], [B.toLowerCase(), 200n]]));
  });

  it('weight fallback plus a citation: 20% to the citation, 80% by curator weight', async () => {
    await attributor.scoreUsage(job('w1', 'Nothing here resembles any record at all.', ['102']));
    // weights 101:1, 102:1 (T = 2, n = 1): 101 → 8000, 102 → 8000 + 2 × 2000 = 12000.
    const stored = await rows('w1');
    expect(stored.map((s) => [s.contributionId, s.score])).toEqual([['101', 8000n], ['102', 12_000n]]);
    expect(payOne(1000n, stored)).toEqual(new Map([[A.toLowerCase(), 400n], [B.toLowerCase(), 600n]]));
  });

  it('an inference with only citations pays the cited contributions all of it', async () => {
    const scored = await attributor.scoreUsage(job('o1', 'Nothing here resembles any record at all.', ['301'], ['3']));
    expect(scored!.method).toBe('weight');
    const stored = await rows('o1');
    expect(stored).toEqual([{ contributionId: '301', contributor: E.toLowerCase(), score: 1n }]);
    expect(payOne(1000n, stored)).toEqual(new Map([[E.toLowerCase(), 1000n]]));
  });

  it('no citations: the stored scores are the span scores, as before', async () => {
    const plain = attributor.attribute(job('x', `yes, ${SPAN_TEXT}.`));
    await attributor.scoreUsage(job('n1', `yes, ${SPAN_TEXT}.`));
    await attributor.scoreUsage(job('n2', `yes, ${SPAN_TEXT}.`, []));
    expect(await rows('n1')).toEqual(plain.scores);
    expect(await rows('n2')).toEqual(plain.scores);
  });

  it.each([
    ['a non-array', '101'],
    ['a non-decimal id', ['101', 'c1']],
    ['a number', [101]],
    ['a negative id', ['-1']],
    ['too many ids', Array.from({ length: 257 }, (_, i) => String(i))],
  ])('rejects %s as unrecoverable, naming the field, storing nothing', async (_name, bad) => {
    const usageId = `bad-${_name.replace(/[^a-z]/g, '')}`;
    await expect(attributor.scoreUsage(job(usageId, SPAN_TEXT, bad))).rejects.toThrow(InvalidJobError);
    await expect(attributor.scoreUsage(job(usageId, SPAN_TEXT, bad))).rejects.toThrow(/^retrievedContributionIds: /);
    const processor = usageEventsProcessor(attributor);
    await expect(processor({ data: job(usageId, SPAN_TEXT, bad) } as Job<UsageEventJob>)).rejects.toThrow(UnrecoverableError);
    expect(await dbh.db.select().from(usageEvents).where(eq(usageEvents.usageId, usageId))).toEqual([]);
  });
});
