// infra/ is not a workspace package: load dependencies and built workspace modules by path, from
// the package that declares them (so there is one instance of each module, e.g. ethers).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports the ESM entry of npm package `name` as installed for the workspace package in `packageDir`. */
export async function importDependency(packageDir, name) {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = findManifest(require.resolve(name), name);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const root = manifest.exports?.['.'] ?? manifest.exports;
  const entry = pickImport(root) ?? manifest.module ?? manifest.main ?? 'index.js';
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
}

/** The package.json of `name` above its resolved entry file (its exports may hide package.json). */
function findManifest(entryPath, name) {
  let dir = dirname(entryPath);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === name) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found above ${entryPath}`);
    dir = parent;
  }
}

function pickImport(node) {
  if (!node) return undefined;
  if (typeof node === 'string') return node;
  for (const condition of ['import', 'node', 'default']) {
    const value = pickImport(node[condition]);
    if (value) return value;
  }
  return undefined;
}

/** Imports a built file of a workspace package (`packages/<name>/dist/...`). */
export function importBuilt(root, relativePath) {
  return import(pathToFileURL(join(root, relativePath)).href);
}
