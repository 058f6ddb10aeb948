import type { CliIo } from './io.js';

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function formatBytes(n: number): string {
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per quarter otherwise
 * (so logs of scripted runs stay short).
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastQuarter = -1;
  private readonly started = Date.now();

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, extra = ''): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    if (this.io.stderr.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const rate = done / Math.max(0.001, (now - this.started) / 1000);
      this.io.stderr.write(
        `\r${this.label.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(done)}/${formatBytes(this.total)} ${formatBytes(rate)}/s ${extra}\x1b[K`,
      );
    } else {
      const quarter = Math.floor(fraction * 4);
      if (quarter === this.lastQuarter) return;
      this.lastQuarter = quarter;
      this.io.stderr.write(`${this.label}: ${(fraction * 100).toFixed(0)}% (${formatBytes(done)} of ${formatBytes(this.total)}) ${extra}\n`);
    }
  }

  done(extra = ''): void {
    this.update(this.total, extra);
    if (this.io.stderr.isTTY) this.io.stderr.write('\n');
  }
}
