import { isHexString } from 'ethers';

/** One epoch of an account's rewards, as the attribution worker reports it. */
export interface EpochReward {
  /** The worker's epoch number. */
  epoch: number;
  /** The AttributionSettlement epoch its root was posted as (null until posted). */
  chainEpoch: number | null;
  state: string;
  /** Cumulative reward through this epoch (the Merkle leaf amount), wei. */
  cumulativeAmount: bigint;
  /** Reward earned in this epoch, wei. */
  amount: bigint;
}

/** The latest posted leaf and Merkle proof for the account. */
export interface RewardProof {
  epoch: number;
  chainEpoch: number;
  root: string;
  cumulativeAmount: bigint;
  proof: string[];
}

export interface AccountRewards {
  epochs: EpochReward[];
  /** Undefined while no posted epoch contains the account. */
  proof?: RewardProof;
}

export class RewardsUnavailableError extends Error {}

function wei(value: unknown, field: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw new RewardsUnavailableError(`the attribution service returned a bad "${field}"`);
}

function int(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new RewardsUnavailableError(`the attribution service returned a bad "${field}"`);
}

export function parseAccountRewards(json: unknown): EpochReward[] {
  const epochs = (json as { epochs?: unknown })?.epochs;
  if (!Array.isArray(epochs)) throw new RewardsUnavailableError('the attribution service returned no "epochs" array');
  return epochs.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    return {
      epoch: int(e.epoch, `epochs[${i}].epoch`),
      chainEpoch: e.chainEpoch === null || e.chainEpoch === undefined ? null : int(e.chainEpoch, `epochs[${i}].chainEpoch`),
      state: typeof e.state === 'string' ? e.state : 'unknown',
      cumulativeAmount: wei(e.cumulativeAmount, `epochs[${i}].cumulativeAmount`),
      amount: wei(e.amount, `epochs[${i}].amount`),
    };
  });
}

export function parseRewardProof(json: unknown): RewardProof {
  const r = (json ?? {}) as Record<string, unknown>;
  if (!Array.isArray(r.proof) || !r.proof.every((p) => typeof p === 'string' && isHexString(p, 32))) {
    throw new RewardsUnavailableError('the attribution service returned no valid "proof" (array of 32-byte hex)');
  }
  if (typeof r.root !== 'string' || !isHexString(r.root, 32)) throw new RewardsUnavailableError('the attribution service returned a bad "root"');
  return { epoch: int(r.epoch, 'epoch'), chainEpoch: int(r.chainEpoch, 'chainEpoch'), root: r.root, cumulativeAmount: wei(r.cumulativeAmount, 'cumulativeAmount'), proof: r.proof as string[] };
}

async function getJson(url: string, baseUrl: string, fetchImpl: typeof fetch): Promise<unknown | undefined> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new RewardsUnavailableError(`The attribution service at ${baseUrl} is not reachable, so rewards and proofs cannot be fetched right now.`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok) {
    let detail = '';
    try {
      detail = ((await response.json()) as { detail?: string }).detail ?? '';
    } catch {
      // not problem+json
    }
    throw new RewardsUnavailableError(`The attribution service answered HTTP ${response.status}${detail ? `: ${detail}` : ''}.`);
  }
  return response.json();
}

/**
 * The account's rewards per epoch (`GET {base}/v1/rewards/:account`) and its latest Merkle proof
 * (`GET {base}/v1/rewards/:account/proof`, 404 while nothing is posted). Throws
 * {@link RewardsUnavailableError} with a clear message when the service is not configured, cannot be
 * reached, or answers something malformed.
 */
export async function fetchRewards(baseUrl: string | undefined, account: string, fetchImpl: typeof fetch = fetch): Promise<AccountRewards> {
  if (!baseUrl) throw new RewardsUnavailableError('No attribution service is configured ("attributionUrl" in config.json), so reward proofs cannot be fetched.');
  const [list, proof] = await Promise.all([
    getJson(`${baseUrl}/v1/rewards/${account}`, baseUrl, fetchImpl),
    getJson(`${baseUrl}/v1/rewards/${account}/proof`, baseUrl, fetchImpl),
  ]);
  return { epochs: list === undefined ? [] : parseAccountRewards(list), proof: proof === undefined ? undefined : parseRewardProof(proof) };
}

/** How many of the account's posted epochs {@link newestClaimableProof} looks at, newest first. */
export const MAX_PROOF_LOOKBACK = 64;

/**
 * The proof against the newest root that claims accept now. The settlement takes any root past its
 * challenge window and not revoked, and cumulative amounts only grow, so this is the one that pays the
 * most: the latest proof when its root is claimable, else the newest older posted epoch of the account
 * whose root is (`GET {base}/v1/rewards/:account/proof?epoch=N`). Undefined when none is, e.g. while
 * roots are posted more often than the window and the account's first root is still inside it.
 */
export async function newestClaimableProof(
  baseUrl: string,
  account: string,
  rewards: AccountRewards,
  isClaimable: (root: string) => Promise<boolean>,
  fetchImpl: typeof fetch = fetch,
): Promise<RewardProof | undefined> {
  const latest = rewards.proof;
  if (!latest) return undefined;
  if (await isClaimable(latest.root)) return latest;
  const older = rewards.epochs
    .filter((e) => e.chainEpoch !== null && e.epoch < latest.epoch)
    .sort((a, b) => b.epoch - a.epoch)
    .slice(0, MAX_PROOF_LOOKBACK);
  for (const e of older) {
    const json = await getJson(`${baseUrl}/v1/rewards/${account}/proof?epoch=${e.epoch}`, baseUrl, fetchImpl);
    if (json === undefined) continue;
    const proof = parseRewardProof(json);
    if (await isClaimable(proof.root)) return proof;
  }
  return undefined;
}
