import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SDK_DIR = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

describe('bin/supply-report.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'supply-report-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table and writes a PNG chart', () => {
    const png = join(dir, 'supply.png');
    const run = spawnSync(TSX, ['bin/supply-report.ts', '--png', png], { cwd: SDK_DIR, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s*0\s.*215\.50M/m);
    expect(run.stdout).toMatch(/^\s*60\s.*1000\.00M\s+100\.00%/m);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // PNG signature
    expect(bytes.readUInt32BE(16)).toBe(960); // IHDR width
    expect(bytes.readUInt32BE(20)).toBe(540); // IHDR height
  });

  it('exits 1 naming the bad field of a bad config', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schedule: { monthSeconds: 1 }, allocations: [{ bucket: 'x', label: 'x', beneficiary: '0x01', amountOpen: '1', cliffMonths: 0, vestingMonths: 0, revocable: false }] }));
    const run = spawnSync(TSX, ['bin/supply-report.ts', '--config', bad, '--png', join(dir, 'x.png')], { cwd: SDK_DIR, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/allocations\[0\]\.beneficiary/);
  });
});
