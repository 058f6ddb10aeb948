/** One inference of a collection group: its fee and its scores per contributor account. */
export interface ScoredInference {
  feeWei: bigint;
  scores: ReadonlyArray<{ account: string; score: bigint }>;
}

/** The fees of one (payer, model owner) collection and the contributors' part the escrow funded. */
export interface CollectedGroup {
  contributorsPart: bigint;
  inferences: readonly ScoredInference[];
}

export interface EpochDistribution {
  /** Reward per account (lower-case address) in wei, > 0. */
  deltas: Map<string, bigint>;
  distributed: bigint;
  /** Funded but attributable to nobody (inferences of adapters whose datanets hold no data). */
  unallocated: bigint;
}

const PRECISION = 1n << 64n;

/**
 * Splits each group's contributors' part among accounts. Each inference weighs its contributors by
 * fee × score / (inference's total score) — so every inference distributes its own fee — and the
 * group's part is split by those weights with floor division; the wei left over go one each to the
 * accounts with the largest remainders (ties: lower address). Exact: a group pays out all its part.
 */
export function distributeEpoch(groups: readonly CollectedGroup[]): EpochDistribution {
  const deltas = new Map<string, bigint>();
  let distributed = 0n;
  let unallocated = 0n;
  for (const group of groups) {
    const weights = new Map<string, bigint>();
    for (const inference of group.inferences) {
      const perAccount = new Map<string, bigint>();
      let total = 0n;
      for (const { account, score } of inference.scores) {
        if (score <= 0n) continue;
        const key = account.toLowerCase();
        perAccount.set(key, (perAccount.get(key) ?? 0n) + score);
        total += score;
      }
      if (total === 0n) continue;
      for (const [account, score] of perAccount) {
        weights.set(account, (weights.get(account) ?? 0n) + (inference.feeWei * score * PRECISION) / total);
      }
    }
    let weightSum = 0n;
    for (const w of weights.values()) weightSum += w;
    const part = group.contributorsPart;
    if (weightSum === 0n || part === 0n) {
      unallocated += part;
      continue;
    }
    const shares: Array<{ account: string; share: bigint; remainder: bigint }> = [];
    let given = 0n;
    for (const [account, w] of weights) {
      const share = (part * w) / weightSum;
      shares.push({ account, share, remainder: (part * w) % weightSum });
      given += share;
    }
    shares.sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.account < b.account ? -1 : 1));
    let left = part - given;
    for (const s of shares) {
      if (left === 0n) break;
      s.share += 1n;
      left -= 1n;
    }
    for (const s of shares) if (s.share > 0n) deltas.set(s.account, (deltas.get(s.account) ?? 0n) + s.share);
    distributed += part;
  }
  return { deltas, distributed, unallocated };
}
