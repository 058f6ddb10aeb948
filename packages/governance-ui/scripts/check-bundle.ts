// Builds the production bundle and checks it: first-load size (gzip) under the budget, and no trace
// of the development wallet (anvil keys) anywhere in dist/. Prints one line per figure.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ANVIL_PRIVATE_KEYS } from '../../sdk/src/testing/anvil.js';

export const FIRST_LOAD_BUDGET_BYTES = 400 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function assertNoDevWallet(dir: string): void {
  for (const file of files(dir)) {
    const text = readFileSync(file, 'utf8').toLowerCase();
    for (const key of ANVIL_PRIVATE_KEYS) assert.ok(!text.includes(key.slice(2).toLowerCase()), `${file} contains an anvil private key`);
    assert.ok(!text.includes('createdevsigner') && !text.includes('use dev wallet'), `${file} contains the development wallet`);
  }
}

export async function checkBundle(): Promise<{ firstLoadGzip: number; totalGzip: number; firstLoadFiles: string[] }> {
  const configFile = join(root, 'vite.config.ts');
  // A build made with NODE_ENV=development (import.meta.env.DEV true) must not ship the dev wallet either.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  const devEnvOut = mkdtempSync(join(tmpdir(), 'governance-ui-devenv-'));
  try {
    await build({ root, configFile, logLevel: 'error', build: { outDir: devEnvOut, emptyOutDir: true } });
    assertNoDevWallet(devEnvOut);
  } finally {
    rmSync(devEnvOut, { recursive: true, force: true });
  }
  process.env.NODE_ENV = 'production';
  await build({ root, configFile, logLevel: 'warn', mode: 'production' });
  if (previous === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previous;
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  // What the browser fetches before the app is interactive: index.html, its entry script, the
  // chunks it preloads and its stylesheets. Lazy routes are not part of the first load.
  const referenced = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const gz = (path: string) => gzipSync(readFileSync(path)).length;
  const firstLoadFiles = ['index.html', ...referenced];
  const firstLoadGzip = firstLoadFiles.reduce((sum, f) => sum + gz(join(dist, f)), 0);
  const all = files(dist);
  const totalGzip = all.reduce((sum, f) => sum + gz(f), 0);
  assertNoDevWallet(dist);
  assert.ok(firstLoadGzip < FIRST_LOAD_BUDGET_BYTES, `first load is ${firstLoadGzip} B gzipped, over the ${FIRST_LOAD_BUDGET_BYTES} B budget`);
  return { firstLoadGzip, totalGzip, firstLoadFiles };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await checkBundle();
  console.log(`bundle first load (gzip): ${(r.firstLoadGzip / 1024).toFixed(1)} kB (${r.firstLoadFiles.join(', ')})`);
  console.log(`bundle all chunks (gzip): ${(r.totalGzip / 1024).toFixed(1)} kB`);
  console.log('bundle dev wallet / anvil keys in dist: none');
}
