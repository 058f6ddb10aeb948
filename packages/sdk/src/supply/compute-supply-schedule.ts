import type { DistributionConfig } from './parse-distribution-config.js';
import { unlockedAmount } from './unlocked-amount.js';

export interface SupplyScheduleRow {
  month: number;
  /** Unlocked wei per bucket (cumulative since TGE). */
  byBucket: Record<string, bigint>;
  /** Sum over buckets: the circulating (unlocked) supply, in wei. */
  circulating: bigint;
  /** Wei unlocked during this month (circulating minus the previous month's). */
  monthlyUnlock: bigint;
}

export interface ComputeSupplyScheduleParameters {
  config: DistributionConfig;
  /** Number of months after TGE to report; rows are months 0..months. Default 60. */
  months?: number;
}

export interface ComputeSupplyScheduleReturnType {
  /** Buckets in first-seen config order. */
  buckets: string[];
  /** Total allocated per bucket, in wei. */
  allocatedByBucket: Record<string, bigint>;
  rows: SupplyScheduleRow[];
}

/** Month-by-month unlocked supply per bucket and in total, from the deploy config. */
export function computeSupplySchedule({ config, months = 60 }: ComputeSupplyScheduleParameters): ComputeSupplyScheduleReturnType {
  if (!Number.isSafeInteger(months) || months < 0) throw new RangeError(`months must be a non-negative integer, got ${months}`);
  const buckets = [...new Set(config.allocations.map((a) => a.bucket))];
  const allocatedByBucket = Object.fromEntries(buckets.map((b) => [b, 0n]));
  for (const a of config.allocations) allocatedByBucket[a.bucket] = (allocatedByBucket[a.bucket] ?? 0n) + a.amount;

  const rows: SupplyScheduleRow[] = [];
  let previous = 0n;
  for (let month = 0; month <= months; month++) {
    const byBucket = Object.fromEntries(buckets.map((b) => [b, 0n]));
    for (const allocation of config.allocations) {
      byBucket[allocation.bucket] = (byBucket[allocation.bucket] ?? 0n) + unlockedAmount({ allocation, month });
    }
    const circulating = Object.values(byBucket).reduce((sum, v) => sum + v, 0n);
    rows.push({ month, byBucket, circulating, monthlyUnlock: circulating - previous });
    previous = circulating;
  }
  return { buckets, allocatedByBucket, rows };
}
