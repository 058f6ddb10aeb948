import type { ComputeSupplyScheduleReturnType } from './compute-supply-schedule.js';

export interface RenderSupplyChartSvgParameters {
  schedule: ComputeSupplyScheduleReturnType;
  title?: string;
  width?: number;
  height?: number;
  /** Font family written into the SVG text elements. */
  fontFamily?: string;
}

const PALETTE = ['#2f6fde', '#e0862d', '#7b4fc9', '#2ba57a', '#c94f6d', '#6d7a8a'];
const WEI_PER_MILLION = 10n ** 24n;

/**
 * Draws the unlocked supply as stacked areas per bucket (month on x, millions of OPEN on y), with
 * the circulating total as a line. Pure string output, so a browser can use it as is; the
 * supply-report command rasterizes it to PNG.
 */
export function renderSupplyChartSvg({
  schedule,
  title = 'OPEN unlocked supply by bucket',
  width = 960,
  height = 540,
  fontFamily = 'DejaVu Sans',
}: RenderSupplyChartSvgParameters): string {
  const m = { left: 70, right: 170, top: 50, bottom: 50 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const rows = schedule.rows;
  const lastMonth = rows.at(-1)?.month ?? 0;
  const cap = Number(Object.values(schedule.allocatedByBucket).reduce((s, v) => s + v, 0n) / WEI_PER_MILLION);
  const yMax = Math.max(100, Math.ceil(cap / 100) * 100);
  const x = (month: number) => m.left + (lastMonth === 0 ? 0 : (month / lastMonth) * plotW);
  const y = (millions: number) => m.top + plotH - (millions / yMax) * plotH;
  const millions = (wei: bigint) => Number((wei * 100n) / WEI_PER_MILLION) / 100;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${fontFamily}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="28" font-size="18" font-weight="bold" fill="#222">${escapeXml(title)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += yMax / 10) {
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v}M</text>`);
  }
  for (let month = 0; month <= lastMonth; month += 6) {
    out.push(`<line x1="${x(month)}" x2="${x(month)}" y1="${m.top + plotH}" y2="${m.top + plotH + 5}" stroke="#555"/>`);
    out.push(`<text x="${x(month)}" y="${m.top + plotH + 20}" text-anchor="middle" fill="#555">${month}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 10}" text-anchor="middle" fill="#333">months after TGE</text>`);

  const base = rows.map(() => 0);
  schedule.buckets.forEach((bucket, i) => {
    const top = rows.map((r, k) => (base[k] ?? 0) + millions(r.byBucket[bucket] ?? 0n));
    const upper = rows.map((r, k) => `${x(r.month).toFixed(1)},${y(top[k] ?? 0).toFixed(1)}`);
    const lower = rows.map((r, k) => `${x(r.month).toFixed(1)},${y(base[k] ?? 0).toFixed(1)}`).reverse();
    const color = PALETTE[i % PALETTE.length];
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.75" stroke="${color}"/>`);
    top.forEach((v, k) => (base[k] = v));
    const ly = m.top + 20 + i * 22;
    out.push(`<rect x="${m.left + plotW + 20}" y="${ly - 10}" width="14" height="14" fill="${color}"/>`);
    out.push(`<text x="${m.left + plotW + 40}" y="${ly + 2}" fill="#222">${escapeXml(bucket)}</text>`);
  });
  const total = rows.map((r) => `${x(r.month).toFixed(1)},${y(millions(r.circulating)).toFixed(1)}`).join(' ');
  out.push(`<polyline points="${total}" fill="none" stroke="#111" stroke-width="2"/>`);
  const ly = m.top + 20 + schedule.buckets.length * 22;
  out.push(`<line x1="${m.left + plotW + 20}" x2="${m.left + plotW + 34}" y1="${ly - 3}" y2="${ly - 3}" stroke="#111" stroke-width="2"/>`);
  out.push(`<text x="${m.left + plotW + 40}" y="${ly + 2}" fill="#222">circulating</text>`);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push('</svg>');
  return out.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
