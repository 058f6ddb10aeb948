import type { ComputeSupplyScheduleReturnType } from './compute-supply-schedule.js';
import { formatOpenMillions } from './format-open.js';

/** Renders the schedule as a fixed-width text table (one row per month, figures in millions of OPEN). */
export function formatSupplyTable(schedule: ComputeSupplyScheduleReturnType): string {
  const headers = ['month', ...schedule.buckets, 'circulating', '% of cap', 'unlocked this month'];
  const cap = Object.values(schedule.allocatedByBucket).reduce((s, v) => s + v, 0n);
  const lines = schedule.rows.map((r) => [
    String(r.month),
    ...schedule.buckets.map((b) => formatOpenMillions(r.byBucket[b] ?? 0n)),
    formatOpenMillions(r.circulating),
    cap === 0n ? '-' : `${(Number((r.circulating * 10_000n) / cap) / 100).toFixed(2)}%`,
    formatOpenMillions(r.monthlyUnlock),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}
