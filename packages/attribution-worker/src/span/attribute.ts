import { FILTER_K, gramHash, type Segment } from './segment.js';

/** Parameters of span attribution (see the package README for the algorithm). */
export interface SpanParams {
  /** Shortest span, in canonical tokens, that counts. */
  minSpanTokens: number;
  /** Spans occurring more often than this (in all the adapter's datanets) are too common to attribute. */
  maxOccurrences: number;
  /** Also attribute spans of the prompt (as a separate sequence). */
  includePrompt: boolean;
  /** Longest output (and prompt) attributed, in tokens; the rest is ignored. */
  maxQueryTokens: number;
}

export const DEFAULT_SPAN_PARAMS: SpanParams = { minSpanTokens: 8, maxOccurrences: 256, includePrompt: false, maxQueryTokens: 8192 };

/** 2^16: fixed-point scale of span weights. */
export const WEIGHT_SCALE = 65536n;

export interface AttributedSpan {
  source: 'output' | 'prompt';
  start: number;
  length: number;
  occurrences: number;
  weight: bigint;
}

export interface ContributionScore {
  contributionId: string;
  contributor: string;
  score: bigint;
}

export interface Attribution {
  method: 'span' | 'weight' | 'none';
  spans: AttributedSpan[];
  /** Sorted by contributionId; scores are > 0. */
  scores: ContributionScore[];
}

export function bitLength(x: bigint): number {
  return x <= 0n ? 0 : x.toString(2).length;
}

export interface AttributeOptions {
  /**
   * Search every segment at every position (the plain definition, for tests): the default skips
   * searches that provably cannot change the result, with exactly the same outcome.
   */
  exhaustive?: boolean;
}

/**
 * Scores the contributions of a corpus (the live segments of an adapter's datanets) for one inference.
 * Pure and deterministic: integers only, results independent of how the corpus is split in segments.
 */
export function attributeSpans(
  corpus: readonly Segment[],
  output: Uint32Array,
  prompt: Uint32Array | undefined,
  params: SpanParams = DEFAULT_SPAN_PARAMS,
  options: AttributeOptions = {},
): Attribution {
  const total = BigInt(corpus.reduce((sum, s) => sum + s.tokenCount, 0));
  if (total === 0n) return { method: 'none', spans: [], scores: [] };
  const countOf = (hash: number): number => {
    let c = 0;
    for (const s of corpus) c += s.countOf(hash);
    return c;
  };
  const rarityCache = new Map<number, number>();
  const rarity = (hash: number): number => {
    let r = rarityCache.get(hash);
    if (r === undefined) {
      r = bitLength(total / BigInt(Math.max(1, countOf(hash))));
      rarityCache.set(hash, r);
    }
    return r;
  };

  const perContribution = new Map<string, { contributor: string; score: bigint }>();
  const spans: AttributedSpan[] = [];
  const sequences: Array<['output' | 'prompt', Uint32Array]> = [['output', output.subarray(0, params.maxQueryTokens)]];
  if (params.includePrompt && prompt) sequences.push(['prompt', prompt.subarray(0, params.maxQueryTokens)]);
  let outputRarity = 0n;
  for (const [source, hashes] of sequences) {
    let r = 0;
    for (const h of hashes) r += rarity(h);
    outputRarity += BigInt(r) * BigInt(hashes.length);
    const queries = corpus.map((s) => s.mapQuery(hashes));
    // Longest match at every position, overall (exact when it reaches minSpanTokens, else 0) and per
    // segment (exact where computed). Two facts keep this to few suffix-array searches:
    // - a segment's gram filter bounds its matches: a match of m >= FILTER_K tokens at i needs every
    //   FILTER_K-gram of q[i..i+m) in the segment, so `reach` (the run of grams the filter may hold,
    //   from i on, plus FILTER_K - 1) bounds it from above;
    // - longest[i] >= longest[i-1] - 1, and a position matters only if its longest match reaches
    //   both minSpanTokens and longest[i-1] (else it is not a maximal span); so only segments whose
    //   bound reaches that threshold are searched, and when none reaches it longest[i] is
    //   longest[i-1] - 1 exactly (or below the minimum).
    // Without the filter (minSpanTokens < FILTER_K, or old segments) every segment's bound is the
    // rest of the query; `exhaustive` also drops the threshold.
    const n = hashes.length;
    const S = corpus.length;
    const useFilter = !options.exhaustive && params.minSpanTokens >= FILTER_K;
    const reach = new Int32Array(n * S).fill(n);
    if (useFilter) {
      for (let s = 0; s < S; s++) {
        const segment = corpus[s]!;
        const q = queries[s]!;
        let run = 0;
        for (let i = n - 1; i >= 0; i--) {
          run = segment.mayHoldGram(gramHash(q, i)) ? run + 1 : 0;
          reach[i * S + s] = run > 0 ? run + FILTER_K - 1 : 0;
        }
      }
    }
    const longest = new Int32Array(n);
    const perSegment = new Int32Array(n * S);
    const insertion = new Int32Array(n * S);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const threshold = options.exhaustive ? 0 : Math.max(params.minSpanTokens, prev);
      let best = 0;
      for (let s = 0; s < S; s++) {
        if (reach[i * S + s]! < threshold) continue;
        const segment = corpus[s]!;
        const m = segment.longestMatch(queries[s]!, i);
        perSegment[i * S + s] = m;
        insertion[i * S + s] = segment.lastInsertion;
        if (m > best) best = m;
      }
      if (best >= threshold) longest[i] = best;
      else longest[i] = prev - 1 >= params.minSpanTokens ? prev - 1 : 0;
      prev = longest[i]!;
    }
    for (let i = 0; i < n; i++) {
      const len = longest[i]!;
      if (len < params.minSpanTokens || (i > 0 && len < longest[i - 1]!)) continue; // not maximal
      let occurrences = 0;
      const ranges: Array<[number, number]> = [];
      for (let s = 0; s < S; s++) {
        // Only a segment whose own longest match at i reaches len holds the span.
        const range: [number, number] =
          perSegment[i * S + s]! < len
            ? [0, 0]
            : options.exhaustive
              ? corpus[s]!.range(queries[s]!, i, len)
              : corpus[s]!.rangeAround(queries[s]!, i, len, insertion[i * S + s]!);
        ranges.push(range);
        occurrences += range[1] - range[0];
      }
      if (occurrences === 0 || occurrences > params.maxOccurrences) continue;
      let spanRarity = 0;
      for (let k = i; k < i + len; k++) spanRarity += rarity(hashes[k]!);
      const weight = (BigInt(spanRarity) * BigInt(len) * WEIGHT_SCALE) / BigInt(occurrences);
      spans.push({ source, start: i, length: len, occurrences, weight });
      // Occurrences per contribution, grouped by contributor.
      const byContributor = new Map<string, Map<string, number>>();
      for (let s = 0; s < corpus.length; s++) {
        const segment = corpus[s]!;
        const [lo, hi] = ranges[s]!;
        if (hi === lo) continue;
        // Contribution index of every occurrence, sorted, then counted per run.
        const owners = new Int32Array(hi - lo);
        for (let k = lo; k < hi; k++) owners[k - lo] = segment.contributionAt(segment.saAt(k));
        owners.sort();
        for (let a = 0; a < owners.length; ) {
          let b = a + 1;
          while (b < owners.length && owners[b] === owners[a]) b++;
          const c = segment.contributions[owners[a]!]!;
          const who = c.contributor.toLowerCase();
          let m = byContributor.get(who);
          if (!m) byContributor.set(who, (m = new Map()));
          m.set(c.contributionId, (m.get(c.contributionId) ?? 0) + (b - a));
          a = b;
        }
      }
      const perContributor = weight / BigInt(byContributor.size);
      for (const [who, contributions] of byContributor) {
        let n = 0;
        for (const c of contributions.values()) n += c;
        for (const [id, c] of contributions) {
          const share = (perContributor * BigInt(c)) / BigInt(n);
          const entry = perContribution.get(id) ?? { contributor: who, score: 0n };
          entry.score += share;
          perContribution.set(id, entry);
        }
      }
    }
  }

  // Cap per contributor: at most one span covering the whole query once.
  const cap = outputRarity * WEIGHT_SCALE;
  const totals = new Map<string, bigint>();
  for (const { contributor, score } of perContribution.values()) totals.set(contributor, (totals.get(contributor) ?? 0n) + score);
  const scores: ContributionScore[] = [];
  for (const [contributionId, { contributor, score }] of perContribution) {
    const t = totals.get(contributor)!;
    const capped = t > cap ? (score * cap) / t : score;
    if (capped > 0n) scores.push({ contributionId, contributor, score: capped });
  }
  scores.sort((a, b) => (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0));
  if (scores.length > 0) return { method: 'span', spans, scores };
  return { method: 'weight', spans, scores: weightScores(corpus) };
}

/** Fallback when no span attributes: every live contribution by its curator weight. */
export function weightScores(corpus: readonly Segment[]): ContributionScore[] {
  const scores: ContributionScore[] = [];
  for (const s of corpus) {
    for (const c of s.contributions) {
      const w = BigInt(c.weight);
      if (w > 0n) scores.push({ contributionId: c.contributionId, contributor: c.contributor.toLowerCase(), score: w });
    }
  }
  scores.sort((a, b) => (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0));
  return scores;
}
