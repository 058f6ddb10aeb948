import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeSpans, DEFAULT_SPAN_PARAMS, type SpanParams } from '../src/span/attribute.js';
import { BuildPool } from '../src/span/build-pool.js';
import { DatanetIndex } from '../src/span/datanet-index.js';
import { buildSegmentData, Segment, type ContributionTokens } from '../src/span/segment.js';
import { tokenHash, tokenize, tokenStrings } from '../src/span/tokenizer.js';

const A = '0x00000000000000000000000000000000000000aa';
const B = '0x00000000000000000000000000000000000000bb';
const C = '0x00000000000000000000000000000000000000cc';

const contribution = (contributionId: string, contributor: string, ...records: string[]): ContributionTokens => ({
  contributionId,
  contributor,
  weight: '1',
  records: records.map(tokenize),
});
const segment = (id: string, ...cs: ContributionTokens[]): Segment => new Segment(id, buildSegmentData(cs));
const params = (minSpanTokens: number): SpanParams => ({ ...DEFAULT_SPAN_PARAMS, minSpanTokens });
const plain = (scores: { contributionId: string; score: bigint }[]) => Object.fromEntries(scores.map((s) => [s.contributionId, s.score]));

describe('canonical tokenizer', () => {
  it('NFKC-lowercases, splits words and single punctuation, hashes with FNV-1a 32', () => {
    expect(tokenStrings('Ｈｅｌｌｏ, World!  ﬁne')).toEqual(['hello', ',', 'world', '!', 'fine']);
    // FNV-1a("a") = 0xe40c292c, a published test vector.
    expect(tokenHash('a')).toBe(0xe40c292c);
    expect(Array.from(tokenize('A a'))).toEqual([0xe40c292c, 0xe40c292c]);
  });
});

describe('span attribution, hand-worked corpora', () => {
  it('corpus 1: two maximal spans, one contribution each', () => {
    // N = 15 tokens; quick/brown/fox occur twice (rarity bitLength(15/2=7) = 3), others once (bitLength(15) = 4).
    const corpus = [
      segment(
        's1',
        contribution('c1', A, 'the quick brown fox jumps'),
        contribution('c2', B, 'a quick brown fox sleeps'),
        contribution('c3', A, 'lazy dogs sleep all day'),
      ),
    ];
    const result = attributeSpans(corpus, tokenize('The quick brown fox sleeps all day'), undefined, params(3));
    expect(result.method).toBe('span');
    // L = [4,4,3,2,1,2,1]: maximal spans start at 0 and 1.
    expect(result.spans.map((s) => [s.start, s.length, s.occurrences])).toEqual([
      [0, 4, 1],
      [1, 4, 1],
    ]);
    // the+quick+brown+fox = 4+3+3+3 = 13; W = 13 × 4 × 65536 / 1 = 3,407,872. Same for quick..sleeps.
    expect(plain(result.scores)).toEqual({ c1: 3407872n, c2: 3407872n });
  });

  it('corpus 2: occurrences divide a span, split equally among contributors, copies do not pay more', () => {
    const corpus = [
      segment(
        's1',
        contribution('c1', A, 'the quick brown fox jumps'),
        contribution('c2', B, 'a quick brown fox sleeps'),
        contribution('c4', A, 'the quick brown fox jumps'),
        contribution('c5', C, 'the quick brown fox'),
      ),
    ];
    // N = 19: the ×3 → bitLength(6) = 3; quick/brown/fox ×4 → bitLength(4) = 3; sleeps ×1 → bitLength(19) = 5.
    const result = attributeSpans(corpus, tokenize('the quick brown fox sleeps'), undefined, params(3));
    expect(result.spans.map((s) => [s.start, s.length, s.occurrences, s.weight])).toEqual([
      [0, 4, 3, 1048576n], // 12 × 4 × 65536 / 3
      [1, 4, 1, 3670016n], // 14 × 4 × 65536
    ]);
    // Span 1: A (2 copies) and C share 1048576 equally; A's half splits over c1, c4.
    expect(plain(result.scores)).toEqual({ c1: 262144n, c4: 262144n, c5: 524288n, c2: 3670016n });
  });

  it('corpus 3: a contributor is capped at one span covering the whole output once', () => {
    const corpus = [segment('s1', contribution('c1', A, 'p q r', 'q r s'))];
    // N = 6: p, s → bitLength(6) = 3; q, r → bitLength(3) = 2. Spans [0,3) and [1,4): 7 × 3 × 65536 each = 2,752,512.
    // Cap = (3+2+2+3) × 4 × 65536 = 2,621,440.
    const result = attributeSpans(corpus, tokenize('p q r s'), undefined, params(2));
    expect(result.spans.map((s) => s.weight)).toEqual([1376256n, 1376256n]);
    expect(plain(result.scores)).toEqual({ c1: 2621440n });
  });

  it('no span: falls back to curator weights', () => {
    const corpus = [segment('s1', { ...contribution('c1', A, 'alpha beta'), weight: '3' }, { ...contribution('c2', B, 'gamma'), weight: '5' })];
    const result = attributeSpans(corpus, tokenize('nothing in common here'), undefined, params(2));
    expect(result.method).toBe('weight');
    expect(plain(result.scores)).toEqual({ c1: 3n, c2: 5n });
  });

  it('prompt spans count only with includePrompt', () => {
    const corpus = [segment('s1', contribution('c1', A, 'one two three four'))];
    const without = attributeSpans(corpus, tokenize('zzz'), tokenize('one two three'), params(3));
    expect(without.method).toBe('weight');
    const withPrompt = attributeSpans(corpus, tokenize('zzz'), tokenize('one two three'), { ...params(3), includePrompt: true });
    expect(withPrompt.spans.map((s) => [s.source, s.start, s.length])).toEqual([['prompt', 0, 3]]);
  });
});

describe('segmented index', () => {
  const words = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'log', 'and', 'ran', 'far', 'away', '.', ','];
  function pseudoText(seed: number, n: number): string {
    let x = seed;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out.push(words[(x >>> 16) % words.length]!);
    }
    return out.join(' ');
  }
  const contributions = Array.from({ length: 24 }, (_, i) =>
    contribution(`c${String(i).padStart(2, '0')}`, [A, B, C][i % 3]!, pseudoText(i + 1, 40), pseudoText(i + 100, 25)),
  );
  const outputs = [pseudoText(7, 64), contributions[5]!.records.length ? pseudoText(3, 30) + ' ' + pseudoText(200, 20) : ''];

  it('gives the same scores however the corpus is split and merged, on disk and after reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'span-index-'));
    const pool = new BuildPool(1);
    try {
      const single = [segment('one', ...contributions)];
      const index = DatanetIndex.open(dir, '1', pool, { mergeFactor: 4 });
      for (const c of contributions.slice(0, 10)) await index.addContribution(c);
      await index.addMany(contributions.slice(10));
      await index.addContribution(contributions[0]!); // idempotent
      expect(index.segments.length).toBeGreaterThan(1);
      for (const out of outputs) {
        const expected = attributeSpans(single, tokenize(out), undefined, params(3));
        expect(expected.method).toBe('span');
        expect(attributeSpans(index.segments, tokenize(out), undefined, params(3))).toEqual(expected);
      }
      const merges = await index.merge();
      expect(merges).toBeGreaterThan(0);
      const reloaded = DatanetIndex.open(dir, '1', pool);
      expect(reloaded.segments.length).toBe(index.segments.length);
      for (const out of outputs) {
        expect(attributeSpans(reloaded.segments, tokenize(out), undefined, params(3))).toEqual(
          attributeSpans(single, tokenize(out), undefined, params(3)),
        );
      }
      // Revocation: the index equals one built without the contribution.
      expect(await reloaded.revoke('c05')).toBe(true);
      expect(reloaded.has('c05')).toBe(false);
      const without = [segment('w', ...contributions.filter((c) => c.contributionId !== 'c05'))];
      for (const out of outputs) {
        const r = attributeSpans(reloaded.segments, tokenize(out), undefined, params(3));
        expect(r).toEqual(attributeSpans(without, tokenize(out), undefined, params(3)));
        expect(r.scores.find((s) => s.contributionId === 'c05')).toBeUndefined();
      }
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('longest matches agree with a naive scan', () => {
    const seg = segment('x', ...contributions);
    const hay = contributions.map((c) => c.records.map((r) => Array.from(r)));
    const q = tokenize(pseudoText(9, 80));
    const dense = seg.mapQuery(q);
    for (let i = 0; i < q.length; i++) {
      let best = 0;
      for (const c of hay)
        for (const r of c)
          for (let p = 0; p < r.length; p++) {
            let d = 0;
            while (i + d < q.length && p + d < r.length && r[p + d] === q[i + d]) d++;
            if (d > best) best = d;
          }
      expect(seg.longestMatch(dense, i)).toBe(best);
    }
  });
});
