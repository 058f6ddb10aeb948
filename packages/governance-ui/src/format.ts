import { formatUnits, parseUnits } from 'ethers';

/** `1234567.5 OPEN` style: grouped integer part, at most `decimals` fraction digits. */
export function formatOpen(wei: bigint, decimals = 2): string {
  const negative = wei < 0n;
  const [intPart = '0', fracPart = ''] = formatUnits(negative ? -wei : wei, 18).split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = fracPart.slice(0, decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Compact form for chart axes: 1.2B, 350M, 12k. */
export function formatCompact(wei: bigint): string {
  const whole = Number(wei / 10n ** 18n);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) if (Math.abs(whole) >= size) return `${+(whole / size).toFixed(1)}${suffix}`;
  return String(whole);
}

export class AmountInputError extends Error {}

/** Parses a user-typed OPEN amount into wei; a clear message when it is not a positive number. */
export function parseOpenInput(text: string, field = 'amount'): bigint {
  const clean = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+(\.\d{1,18})?$/.test(clean)) throw new AmountInputError(`${field}: enter a number of OPEN, e.g. 1000 or 12.5`);
  const wei = parseUnits(clean, 18);
  if (wei === 0n) throw new AmountInputError(`${field}: must be more than 0`);
  return wei;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function formatDate(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
