import type { ContributionScore } from './span/attribute.js';

/** Basis points: 10,000 = the whole of an inference's contributors' part. */
export const BPS = 10_000;
export const DEFAULT_RETRIEVAL_SHARE_BPS = 2_000;
/** Most citations one usage event may carry. */
export const MAX_RETRIEVED = 256;

/**
 * Folds per-retrieval payment into one inference's span/weight scores, integers only.
 *
 * With n distinct cited contributions (already filtered to accepted ones of the adapter's datanets)
 * and T the sum of the span/weight scores, the inference's scores become
 *   span/weight part of c: score_c × (10000 − bps) × n
 *   each cited c:          + T × bps
 * which sum to n × T × 10000: every cited contribution weighs exactly bps/10000/n of the inference
 * and the span/weight scores share the remaining (10000 − bps)/10000 in their own ratios. Nothing is
 * rounded here; settlement (`distributeEpoch`) turns the weights into wei and pays out the whole part.
 * With no span/weight score (T = 0) the cited contributions share all of it equally (score 1 each);
 * with no citation, or a share of 0, the scores are returned unchanged. Result sorted by contributionId, scores > 0.
 */
export function withRetrieval(scores: readonly ContributionScore[], cited: ReadonlyArray<{ contributionId: string; contributor: string }>, bps: number): ContributionScore[] {
  if (!Number.isInteger(bps) || bps < 0 || bps > BPS) throw new RangeError(`retrieval share ${bps} bps is not in 0..${BPS}`);
  const distinct = new Map<string, string>();
  for (const c of cited) if (!distinct.has(c.contributionId)) distinct.set(c.contributionId, c.contributor.toLowerCase());
  if (distinct.size === 0 || bps === 0) return [...scores];
  const n = BigInt(distinct.size);
  const total = scores.reduce((sum, s) => sum + (s.score > 0n ? s.score : 0n), 0n);
  const out = new Map<string, ContributionScore>();
  if (total === 0n) {
    for (const [contributionId, contributor] of distinct) out.set(contributionId, { contributionId, contributor, score: 1n });
  } else {
    const spanFactor = BigInt(BPS - bps) * n;
    for (const s of scores) {
      if (s.score <= 0n) continue;
      out.set(s.contributionId, { contributionId: s.contributionId, contributor: s.contributor, score: s.score * spanFactor });
    }
    const perCitation = total * BigInt(bps);
    for (const [contributionId, contributor] of distinct) {
      const e = out.get(contributionId);
      if (e) e.score += perCitation;
      else out.set(contributionId, { contributionId, contributor, score: perCitation });
    }
  }
  return [...out.values()].filter((s) => s.score > 0n).sort((a, b) => (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0));
}
