// infra/ is not a workspace package: load dependencies and built workspace modules by path, from
// the package that declares them (so there is one instance of each module, e.g. ethers).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports the ESM entry of npm package `name` as installed for the workspace package in `packageDir`. */
export async function importDependency(packageDir, name) {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const root = manifest.exports?.['.'] ?? manifest.exports;
  const entry = pickImport(root) ?? manifest.module ?? manifest.main ?? 'index.js';
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
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
