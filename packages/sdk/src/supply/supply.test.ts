import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  computeSupplySchedule,
  DistributionConfigError,
  formatOpenMillions,
  formatSupplyTable,
  parseDistributionConfig,
  renderSupplyChartSvg,
  unlockedAmount,
  type ComputeSupplyScheduleReturnType,
} from './index.js';

const CONFIG_PATH = fileURLToPath(new URL('../../../contracts/config/deploy.local.json', import.meta.url));
const rawConfig = JSON.parse(readFileSync(CONFIG_PATH, 'utf8')) as Record<string, unknown>;
const M = 10n ** 24n; // one million OPEN in wei

function schedule(): ComputeSupplyScheduleReturnType {
  return computeSupplySchedule({ config: parseDistributionConfig(rawConfig) });
}

function teamAndInvestors(s: ComputeSupplyScheduleReturnType, month: number): bigint {
  const row = s.rows[month]!;
  return (row.byBucket.team ?? 0n) + (row.byBucket.investors ?? 0n);
}

describe('supply schedule from the deploy config', () => {
  it('reports months 0..60', () => {
    const s = schedule();
    expect(s.rows).toHaveLength(61);
    expect(s.buckets).toEqual(['community', 'liquidity', 'team', 'investors']);
  });

  it('has 215.5M (21.55%) circulating at TGE: liquidity 50M + community 165.5M', () => {
    const tge = schedule().rows[0]!;
    expect(tge.circulating).toBe(2155n * 10n ** 23n);
    expect(tge.byBucket.liquidity).toBe(50n * M);
    expect(tge.byBucket.community).toBe(1655n * 10n ** 23n);
  });

  it('allocates 61.71% / 15% / 18.29% / 5% of the 1B cap', () => {
    const { allocatedByBucket } = schedule();
    expect(allocatedByBucket).toEqual({ community: 6171n * 10n ** 23n, team: 150n * M, investors: 1829n * 10n ** 23n, liquidity: 50n * M });
  });

  it('unlocks team + investors 332.9M at ~9.25M a month for 36 months from month 12', () => {
    const s = schedule();
    expect(teamAndInvestors(s, 12)).toBe(0n);
    const perMonth = (3329n * 10n ** 23n) / 36n; // 9.2472M
    for (let month = 13; month <= 48; month++) {
      const step = teamAndInvestors(s, month) - teamAndInvestors(s, month - 1);
      expect(step >= perMonth - 2n && step <= perMonth + 2n).toBe(true);
      expect(Number(step) / 1e24).toBeCloseTo(9.25, 1);
    }
    expect(teamAndInvestors(s, 48)).toBe(3329n * 10n ** 23n);
    expect(teamAndInvestors(s, 60)).toBe(3329n * 10n ** 23n);
  });

  it('unlocks about 19M a month in total after the cliff (9.41M community + 9.25M team/investors)', () => {
    const s = schedule();
    for (let month = 13; month <= 48; month++) {
      const unlock = Number(s.rows[month]!.monthlyUnlock) / 1e24;
      expect(unlock).toBeGreaterThan(18.6);
      expect(unlock).toBeLessThan(19.1);
    }
    // community reserve alone before the cliff: 451.6M / 48
    expect(Number(s.rows[5]!.monthlyUnlock) / 1e24).toBeCloseTo(451.6 / 48, 3);
  });

  it('is fully unlocked at month 48 and flat after', () => {
    const s = schedule();
    expect(s.rows[48]!.circulating).toBe(1000n * M);
    for (let month = 49; month <= 60; month++) expect(s.rows[month]!.monthlyUnlock).toBe(0n);
  });

  it('never decreases and never exceeds the allocation', () => {
    const s = schedule();
    for (let k = 1; k < s.rows.length; k++) {
      expect(s.rows[k]!.circulating >= s.rows[k - 1]!.circulating).toBe(true);
      for (const b of s.buckets) expect(s.rows[k]!.byBucket[b]! <= s.allocatedByBucket[b]!).toBe(true);
    }
  });
});

describe('unlockedAmount', () => {
  const allocation = { amount: 360n, cliffMonths: 12, vestingMonths: 36 };
  it('is zero through the cliff, linear after, full at the end', () => {
    expect(unlockedAmount({ allocation, month: 0 })).toBe(0n);
    expect(unlockedAmount({ allocation, month: 12 })).toBe(0n);
    expect(unlockedAmount({ allocation, month: 13 })).toBe(10n);
    expect(unlockedAmount({ allocation, month: 30 })).toBe(180n);
    expect(unlockedAmount({ allocation, month: 48 })).toBe(360n);
    expect(unlockedAmount({ allocation, month: 99 })).toBe(360n);
  });
  it('rounds down like the contract', () => {
    expect(unlockedAmount({ allocation: { amount: 100n, cliffMonths: 0, vestingMonths: 3 }, month: 1 })).toBe(33n);
  });
  it('treats a line without vesting as liquid at TGE', () => {
    expect(unlockedAmount({ allocation: { amount: 7n, cliffMonths: 0, vestingMonths: 0 }, month: 0 })).toBe(7n);
  });
});

describe('parseDistributionConfig', () => {
  const withAllocation = (patch: Record<string, unknown>) => {
    const allocations = (rawConfig.allocations as Record<string, unknown>[]).map((a, i) => (i === 0 ? { ...a, ...patch } : a));
    return { ...rawConfig, allocations };
  };

  it('rejects allocations that do not add up to the cap', () => {
    expect(() => parseDistributionConfig(withAllocation({ amountOpen: '165499999' }))).toThrow(/allocations: amounts add up to 999999999 OPEN/);
  });

  it('names the bad field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ beneficiary: '0x0000000000000000000000000000000000000000' }, 'allocations[0].beneficiary'],
      [{ amountOpen: '1.5' }, 'allocations[0].amountOpen'],
      [{ amountOpen: 5 }, 'allocations[0].amountOpen'],
      [{ cliffMonths: 3 }, 'allocations[0].cliffMonths'],
      [{ vestingMonths: -1 }, 'allocations[0].vestingMonths'],
      [{ revocable: 'no' }, 'allocations[0].revocable'],
      [{ bucket: 'x'.repeat(32) }, 'allocations[0].bucket'],
      [{ vestingMonths: 2000 }, 'allocations[0].vestingMonths'],
    ];
    for (const [patch, field] of cases) {
      let caught: unknown;
      try {
        parseDistributionConfig(withAllocation(patch));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DistributionConfigError);
      expect((caught as DistributionConfigError).field).toBe(field);
    }
    expect(() => parseDistributionConfig({ ...rawConfig, schedule: {} })).toThrow(/schedule.monthSeconds/);
    expect(() => parseDistributionConfig(null)).toThrow(DistributionConfigError);
  });
});

describe('formatting and chart', () => {
  it('formats millions with two decimals', () => {
    expect(formatOpenMillions(2155n * 10n ** 23n)).toBe('215.50M');
    expect(formatOpenMillions(0n)).toBe('0.00M');
    expect(formatOpenMillions(-(10n ** 24n))).toBe('-1.00M');
  });

  it('prints one table line per month', () => {
    const lines = formatSupplyTable(schedule()).split('\n');
    expect(lines).toHaveLength(2 + 61);
    expect(lines[0]).toMatch(/month\s+community\s+liquidity\s+team\s+investors\s+circulating/);
    expect(lines[2]).toMatch(/^\s*0\s.*215\.50M\s+21\.55%/);
  });

  it('draws one area per bucket and the circulating line', () => {
    const svg = renderSupplyChartSvg({ schedule: schedule(), title: 'a <b>' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polygon /g)).toHaveLength(4);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain('a &#60;b&#62;');
  });
});
