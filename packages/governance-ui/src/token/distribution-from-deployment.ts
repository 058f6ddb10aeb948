import { parseDistributionConfig, type DistributionConfig } from '@openledger/sdk';

interface DeploymentVesting {
  tge: number;
  monthSeconds: number;
  grants: { bucket: string; label: string; beneficiary: string; amount: string; cliff: number; duration: number; revocable: boolean }[];
  liquid: { bucket: string; label: string; beneficiary: string; amount: string }[];
}

export class DistributionUnavailableError extends Error {}

/**
 * Rebuilds the deploy config's distribution from the `vesting` block the deploy script writes into
 * the deployment file (grants in seconds → months), then validates it with the sdk's parser, so the
 * supply charts use exactly the sdk supply module's numbers.
 */
export function distributionFromDeployment(deployment: Record<string, unknown>): { config: DistributionConfig; tge: number } {
  const v = deployment.vesting as DeploymentVesting | undefined;
  if (!v || !Array.isArray(v.grants) || typeof v.monthSeconds !== 'number') {
    throw new DistributionUnavailableError('the deployment file has no "vesting" block (deploy script output), so the schedule cannot be shown');
  }
  const months = (seconds: number, field: string) => {
    const m = seconds / v.monthSeconds;
    if (!Number.isInteger(m)) throw new DistributionUnavailableError(`vesting ${field}: ${seconds} s is not a whole number of ${v.monthSeconds} s months`);
    return m;
  };
  const wholeOpen = (wei: string) => (BigInt(wei) / 10n ** 18n).toString();
  const allocations = [
    ...v.liquid.map((l) => ({ bucket: l.bucket, label: l.label, beneficiary: l.beneficiary, amountOpen: wholeOpen(l.amount), cliffMonths: 0, vestingMonths: 0, revocable: false })),
    ...v.grants.map((g, i) => ({
      bucket: g.bucket,
      label: g.label,
      beneficiary: g.beneficiary,
      amountOpen: wholeOpen(g.amount),
      cliffMonths: months(g.cliff, `grants[${i}].cliff`),
      vestingMonths: months(g.duration, `grants[${i}].duration`),
      revocable: g.revocable,
    })),
  ];
  return { config: parseDistributionConfig({ schedule: { tge: v.tge, monthSeconds: v.monthSeconds }, allocations }), tge: v.tge };
}
