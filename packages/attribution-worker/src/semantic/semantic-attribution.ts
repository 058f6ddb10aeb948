import type { Neighbour } from './vector-store.js';

export interface SemanticParams {
  /** Records considered per inference output (top-k by cosine similarity). */
  topK: number;
  /** Least cosine similarity, in millionths, for a record to earn a score. */
  minSimilarityPpm: number;
}

export const DEFAULT_SEMANTIC_PARAMS: SemanticParams = { topK: 8, minSimilarityPpm: 500_000 };

/** Most one contributor earns from one inference: the weight of one perfectly similar record. */
export const CONTRIBUTOR_CAP = 1_000_000n;

export interface SemanticScore {
  contributionId: string;
  contributor: string;
  score: bigint;
}

/** Cosine similarity as an integer in millionths (the only form scores are computed from). */
export const similarityPpm = (similarity: number): number => Math.round(similarity * 1_000_000);

/**
 * Integer scores from the nearest records of an output: each record above the threshold weighs its
 * similarity in millionths; a contribution earns its best record (copies inside it do not add); a
 * contributor earns at most CONTRIBUTOR_CAP per inference, its contributions scaled down pro rata
 * (floor). Sorted by contribution id. Recomputable from the stored vectors and the output's vector.
 */
export function semanticScores(neighbours: readonly Neighbour[], params: SemanticParams): SemanticScore[] {
  const perContribution = new Map<string, SemanticScore>();
  for (const n of neighbours) {
    const ppm = similarityPpm(n.similarity);
    if (ppm < params.minSimilarityPpm) continue;
    const prev = perContribution.get(n.contributionId);
    if (!prev || BigInt(ppm) > prev.score) perContribution.set(n.contributionId, { contributionId: n.contributionId, contributor: n.contributor, score: BigInt(ppm) });
  }
  const perContributor = new Map<string, bigint>();
  for (const s of perContribution.values()) perContributor.set(s.contributor, (perContributor.get(s.contributor) ?? 0n) + s.score);
  const out: SemanticScore[] = [];
  for (const s of perContribution.values()) {
    const total = perContributor.get(s.contributor)!;
    const score = total > CONTRIBUTOR_CAP ? (s.score * CONTRIBUTOR_CAP) / total : s.score;
    if (score > 0n) out.push({ ...s, score });
  }
  return out.sort((a, b) => (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0));
}

/** Unit score per retrieved record: what a retrieval pays, fee-weighted like any score, per citation. */
export const RETRIEVAL_UNIT = 1_000_000n;

/**
 * Scores for a usage event's retrievedContributionIds: RETRIEVAL_UNIT per retrieval (a contribution
 * cited twice is paid twice), for contributions still in the index (revoked ones earn nothing).
 */
export function retrievalScores(retrieved: readonly string[], lookup: (contributionId: string) => { contributor: string } | undefined): SemanticScore[] {
  const byId = new Map<string, SemanticScore>();
  for (const id of retrieved) {
    const c = lookup(id);
    if (!c) continue;
    const prev = byId.get(id);
    byId.set(id, { contributionId: id, contributor: c.contributor, score: (prev?.score ?? 0n) + RETRIEVAL_UNIT });
  }
  return [...byId.values()].sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
}
