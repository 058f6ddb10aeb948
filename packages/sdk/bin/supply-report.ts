#!/usr/bin/env tsx
/**
 * supply-report: prints the OPEN unlock schedule month by month (per bucket and circulating total)
 * from a deploy config, and writes the curve as a PNG chart.
 *
 *   tsx bin/supply-report.ts [--config <deploy config json>] [--months 60] [--png <out.png>] [--svg <out.svg>]
 *
 * Defaults: the contracts' config/deploy.local.json, 60 months, supply-report.png in the cwd.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import {
  computeSupplySchedule,
  formatSupplyTable,
  parseDistributionConfig,
  renderSupplyChartSvg,
  SdkError,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  config: string;
  months: number;
  png: string;
  svg?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    config: resolve(here, '../../contracts/config/deploy.local.json'),
    months: 60,
    png: resolve('supply-report.png'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || !flag?.startsWith('--')) throw new Error(`expected "--flag value" pairs, got ${JSON.stringify(flag)}`);
    i++;
    if (flag === '--config') opts.config = resolve(value);
    else if (flag === '--png') opts.png = resolve(value);
    else if (flag === '--svg') opts.svg = resolve(value);
    else if (flag === '--months') {
      opts.months = Number(value);
      if (!Number.isSafeInteger(opts.months) || opts.months < 1 || opts.months > 600) throw new Error(`--months must be an integer 1..600, got ${value}`);
    } else throw new Error(`unknown flag ${flag} (known: --config, --months, --png, --svg)`);
  }
  return opts;
}

function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const config = parseDistributionConfig(JSON.parse(readFileSync(opts.config, 'utf8')) as unknown);
  const schedule = computeSupplySchedule({ config, months: opts.months });
  process.stdout.write(`OPEN supply schedule from ${opts.config} (figures in millions of OPEN)\n\n`);
  process.stdout.write(`${formatSupplyTable(schedule)}\n`);
  const svg = renderSupplyChartSvg({ schedule });
  if (opts.svg) writeFileSync(opts.svg, svg);
  // Fonts come from an npm package, not the system, so the PNG is the same on every machine.
  const png = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
  writeFileSync(opts.png, png);
  process.stdout.write(`\nchart written to ${opts.png}\n`);
}

// `supply-report | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  main();
} catch (err) {
  const message = err instanceof SdkError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`supply-report: ${message}\n`);
  process.exit(1);
}
