import { DistributionConfigError } from './distribution-config-error.js';

/** The hard cap of OPEN in wei, as enforced by `OpenToken`. */
export const OPEN_CAP_WEI = 1_000_000_000n * 10n ** 18n;

/** One line of the distribution, as in the deploy config; `amount` in wei. */
export interface DistributionAllocation {
  bucket: string;
  label: string;
  beneficiary: string;
  amount: bigint;
  /** Months after TGE before anything unlocks. */
  cliffMonths: number;
  /** Months of linear unlock after the cliff; 0 = fully unlocked at TGE. */
  vestingMonths: number;
  revocable: boolean;
}

export interface DistributionConfig {
  /** Length of a schedule month in seconds. */
  monthSeconds: number;
  allocations: DistributionAllocation[];
}

export type ParseDistributionConfigParameters = unknown;
export type ParseDistributionConfigReturnType = DistributionConfig;

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DistributionConfigError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function nonNegativeInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DistributionConfigError(field, `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new DistributionConfigError(field, 'must be a non-empty string');
  return value;
}

/**
 * Validates the deploy config JSON and returns its distribution, with the same rules as the
 * Solidity reader (`script/DeployConfig.sol`): amounts are whole OPEN as decimal strings, they
 * must add up to exactly the cap, a TGE-liquid line has no cliff.
 */
export function parseDistributionConfig(json: ParseDistributionConfigParameters): ParseDistributionConfigReturnType {
  const root = record(json, 'config');
  const schedule = record(root.schedule, 'schedule');
  const monthSeconds = nonNegativeInt(schedule.monthSeconds, 'schedule.monthSeconds');
  if (monthSeconds === 0 || monthSeconds > 366 * 86_400) throw new DistributionConfigError('schedule.monthSeconds', 'must be 1..31622400 seconds');
  if (!Array.isArray(root.allocations) || root.allocations.length === 0) {
    throw new DistributionConfigError('allocations', 'must be a non-empty array');
  }
  let total = 0n;
  const allocations = root.allocations.map((raw, i): DistributionAllocation => {
    const f = (name: string) => `allocations[${i}].${name}`;
    const a = record(raw, `allocations[${i}]`);
    const amountText = text(a.amountOpen, f('amountOpen'));
    if (!/^[1-9][0-9]*$/.test(amountText)) throw new DistributionConfigError(f('amountOpen'), 'must be a positive whole number of OPEN');
    const beneficiary = text(a.beneficiary, f('beneficiary'));
    if (!/^0x[0-9a-fA-F]{40}$/.test(beneficiary) || /^0x0{40}$/.test(beneficiary)) {
      throw new DistributionConfigError(f('beneficiary'), 'must be a non-zero 20-byte hex address');
    }
    const bucket = text(a.bucket, f('bucket'));
    if (bucket.length > 31) throw new DistributionConfigError(f('bucket'), 'must be at most 31 characters');
    const cliffMonths = nonNegativeInt(a.cliffMonths, f('cliffMonths'));
    const vestingMonths = nonNegativeInt(a.vestingMonths, f('vestingMonths'));
    // Grant cliff and duration are uint32 seconds on chain.
    if (cliffMonths * monthSeconds > 0xffffffff) throw new DistributionConfigError(f('cliffMonths'), 'is too long (uint32 seconds on chain)');
    if (vestingMonths * monthSeconds > 0xffffffff) throw new DistributionConfigError(f('vestingMonths'), 'is too long (uint32 seconds on chain)');
    if (vestingMonths === 0 && cliffMonths !== 0) throw new DistributionConfigError(f('cliffMonths'), 'must be 0 when vestingMonths is 0');
    if (typeof a.revocable !== 'boolean') throw new DistributionConfigError(f('revocable'), 'must be a boolean');
    const amount = BigInt(amountText) * 10n ** 18n;
    total += amount;
    return { bucket, label: text(a.label, f('label')), beneficiary, amount, cliffMonths, vestingMonths, revocable: a.revocable };
  });
  if (total !== OPEN_CAP_WEI) {
    throw new DistributionConfigError('allocations', `amounts add up to ${total / 10n ** 18n} OPEN, expected exactly 1000000000 (the cap)`);
  }
  return { monthSeconds, allocations };
}
