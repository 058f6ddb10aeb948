import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sdkDir = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('../../../contracts/out', import.meta.url));

// Fails when src/generated no longer matches packages/contracts/out (run `pnpm --filter @openledger/sdk generate`).
(existsSync(outDir) ? test : test.skip)('src/generated is up to date with the forge build', () => {
  const run = () => execFileSync(process.execPath, ['scripts/generate.mjs', '--check'], { cwd: sdkDir, encoding: 'utf8', stdio: 'pipe' });
  expect(run()).toMatch(/up to date/);
});
