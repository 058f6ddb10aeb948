import { isHexString } from 'ethers';

/** What the attribution worker's proof API answers for `GET /v1/rewards/:account`. */
export interface RewardsProof {
  account: string;
  /** Latest epoch whose tree contains the account. */
  epoch: number;
  /** Cumulative reward in wei over all epochs up to `epoch` (the Merkle leaf amount). */
  cumulativeAmount: bigint;
  proof: string[];
  /** Reward earned in each epoch, when the service reports it. */
  epochs: { epoch: number; amount: bigint }[];
}

export class RewardsUnavailableError extends Error {}

function big(value: unknown, field: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new RewardsUnavailableError(`the proof API returned a bad "${field}"`);
}

export function parseRewardsProof(json: unknown): RewardsProof {
  const r = (json ?? {}) as Record<string, unknown>;
  if (!Array.isArray(r.proof) || !r.proof.every((p) => typeof p === 'string' && isHexString(p, 32))) {
    throw new RewardsUnavailableError('the proof API returned no valid "proof" (array of 32-byte hex)');
  }
  const epochs = Array.isArray(r.epochs) ? r.epochs.map((e, i) => ({ epoch: Number((e as { epoch: unknown }).epoch), amount: big((e as { amount: unknown }).amount, `epochs[${i}].amount`) })) : [];
  return { account: String(r.account ?? ''), epoch: Number(r.epoch ?? 0), cumulativeAmount: big(r.cumulativeAmount, 'cumulativeAmount'), proof: r.proof as string[], epochs };
}

/**
 * Fetches the account's latest cumulative reward and Merkle proof. Returns undefined when the
 * service has nothing for the account (404); throws {@link RewardsUnavailableError} with a clear
 * message when the service is not configured or cannot be reached.
 */
export async function fetchRewards(baseUrl: string | undefined, account: string, fetchImpl: typeof fetch = fetch): Promise<RewardsProof | undefined> {
  if (!baseUrl) throw new RewardsUnavailableError('No attribution service is configured ("attributionUrl" in config.json), so proofs cannot be fetched.');
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl}/v1/rewards/${account}`, { headers: { accept: 'application/json' } });
  } catch {
    throw new RewardsUnavailableError(`The attribution service at ${baseUrl} is not reachable, so reward proofs cannot be fetched right now.`);
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
  return parseRewardsProof(await response.json());
}
