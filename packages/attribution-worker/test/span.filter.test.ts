import { attributeSpans, DEFAULT_SPAN_PARAMS } from '../src/span/attribute.js';
import { buildSegmentData, FILTER_K, gramHash, Segment, type ContributionTokens } from '../src/span/segment.js';
import { rng } from '../bench/corpus.js';

// A corpus with long repeated passages: records drawn from a small pool of phrases (so spans of 8-40
// tokens recur across records, contributions and segments) plus random tokens.
const rand = rng(99);
const phrases = Array.from({ length: 40 }, () => Uint32Array.from({ length: 6 + (rand() % 30) }, () => 1 + (rand() % 300)));
function record(): Uint32Array {
  const out: number[] = [];
  while (out.length < 60) {
    if (rand() % 3 === 0) out.push(1 + (rand() % 300));
    else out.push(...phrases[rand() % phrases.length]!);
  }
  return Uint32Array.from(out);
}
const contributions: ContributionTokens[] = Array.from({ length: 60 }, (_, i) => ({
  contributionId: `c${String(i).padStart(2, '0')}`,
  contributor: `0x${(i % 7).toString(16).padStart(40, '0')}`,
  weight: '1',
  records: Array.from({ length: 4 }, record),
}));
const segments = [0, 1, 2].map((k) => new Segment(`s${k}`, buildSegmentData(contributions.slice(k * 20, (k + 1) * 20))));
const unfiltered = segments.map((s) => new Segment(`${s.id}-plain`, { ...s.data, filter: undefined }));
const queries = Array.from({ length: 40 }, () => {
  const q = record();
  q[rand() % q.length] = 5000; // a token no segment holds
  return q;
});

describe('gram filter', () => {
  it('holds every FILTER_K-gram of every record (no false negatives)', () => {
    for (const segment of segments) {
      const dense = (r: Uint32Array): Int32Array => segment.mapQuery(r);
      let grams = 0;
      for (const c of segment.contributions) {
        const source = contributions.find((x) => x.contributionId === c.contributionId)!;
        for (const r of source.records) {
          const q = dense(r);
          for (let i = 0; i + FILTER_K <= q.length; i++) {
            expect(segment.mayHoldGram(gramHash(q, i))).toBe(true);
            grams++;
          }
        }
      }
      expect(grams).toBeGreaterThan(1000);
    }
  });

  it('rules out most grams a segment does not hold', () => {
    const segment = segments[0]!;
    let rejected = 0;
    for (let k = 0; k < 2000; k++) {
      const q = Int32Array.from({ length: FILTER_K }, () => 1 + (rand() % (segment.data.vocab.length - 1)));
      if (!segment.mayHoldGram(gramHash(q, 0))) rejected++;
    }
    expect(rejected).toBeGreaterThan(1500); // ~4 bits per token: false positives well under 25%
    expect(gramHash(Int32Array.from([1, 2, 3, -1, 4, 5, 6, 7, 8]), 0)).toBe(-1);
    expect(gramHash(Int32Array.from([1, 2, 3]), 0)).toBe(-1);
  });

  it('finds the occurrences of a longest match around its insertion point as a full search does', () => {
    let checked = 0;
    for (const segment of segments) {
      for (const q of queries) {
        const d = segment.mapQuery(q);
        for (let i = 0; i < d.length; i++) {
          const len = segment.longestMatch(d, i);
          if (len === 0) continue;
          const at = segment.lastInsertion;
          for (const l of [len, Math.max(1, len - 1), 1]) {
            const [lo, hi] = segment.range(d, i, l);
            expect(hi).toBeGreaterThan(lo);
            expect(segment.rangeAround(d, i, l, at)).toEqual([lo, hi]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it.each([8, 9, 12, 20])('gives exactly the exhaustive attribution (minSpanTokens %i)', (minSpanTokens) => {
    const params = { ...DEFAULT_SPAN_PARAMS, minSpanTokens, includePrompt: true };
    let spans = 0;
    for (const q of queries) {
      const prompt = queries[(queries.indexOf(q) + 1) % queries.length]!;
      const expected = attributeSpans(unfiltered, q, prompt, params, { exhaustive: true });
      expect(attributeSpans(segments, q, prompt, params)).toEqual(expected);
      expect(attributeSpans(unfiltered, q, prompt, params)).toEqual(expected);
      spans += expected.spans.length;
    }
    expect(spans).toBeGreaterThan(40);
  });
});
