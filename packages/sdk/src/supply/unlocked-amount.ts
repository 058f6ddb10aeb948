import type { DistributionAllocation } from './parse-distribution-config.js';

export interface UnlockedAmountParameters {
  allocation: Pick<DistributionAllocation, 'amount' | 'cliffMonths' | 'vestingMonths'>;
  /** Whole months since TGE (0 = at TGE). */
  month: number;
}
export type UnlockedAmountReturnType = bigint;

/**
 * Wei of `allocation` unlocked `month` months after TGE. Mirrors `TokenVesting._vested` at
 * `tge + month * monthSeconds`: nothing until the cliff, then linear over `vestingMonths`
 * (rounded down, as on chain); a line without vesting is fully unlocked at TGE.
 */
export function unlockedAmount({ allocation, month }: UnlockedAmountParameters): UnlockedAmountReturnType {
  const { amount, cliffMonths, vestingMonths } = allocation;
  if (vestingMonths === 0) return amount;
  if (month <= cliffMonths) return 0n;
  const elapsed = month - cliffMonths;
  if (elapsed >= vestingMonths) return amount;
  return (amount * BigInt(elapsed)) / BigInt(vestingMonths);
}
