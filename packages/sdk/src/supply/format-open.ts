/** Formats wei as millions of OPEN with two decimals, rounded down: 215500000e18 -> "215.50M". */
export function formatOpenMillions(wei: bigint): string {
  const negative = wei < 0n;
  const hundredths = (negative ? -wei : wei) / 10n ** 22n; // 1e18 wei * 1e6 / 100
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}M`;
}
