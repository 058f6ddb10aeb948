// The demo base model and its two LoRA adapters, written by the gateway's own GGUF generator (no
// download) once, then reused: a restart finds the same files and the same sha256 as on chain.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importBuilt } from './resolve.mjs';

export const DEMO_ADAPTERS = [
  { name: 'demo-support-assistant', file: 'demo-support-assistant.gguf', rank: 8, alpha: 16, seed: 11, pricePer1kTokens: 10n ** 16n },
  { name: 'demo-legal-summarizer', file: 'demo-legal-summarizer.gguf', rank: 4, alpha: 8, seed: 23, pricePer1kTokens: 2n * 10n ** 16n },
];

export function sha256File(path) {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolveHash(`0x${hash.digest('hex')}`));
  });
}

/** Writes the demo models under `modelsDir` unless a manifest says they are there; returns the manifest. */
export async function ensureDemoModels(root, modelsDir, log = () => {}) {
  const manifestPath = join(modelsDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const files = [manifest.base, ...manifest.adapters];
    const intact = await Promise.all(files.map(async (f) => existsSync(f.path) && (await sha256File(f.path)) === f.sha256));
    if (intact.every(Boolean)) return manifest;
    log('demo model files changed or missing: writing them again');
  }
  const generator = join('packages', 'inference-gateway', 'dist', 'testing', 'tiny-models.js');
  const { writeTinyBaseModel, writeTinyLoraAdapter, TINY_BASE } = await importBuilt(root, generator);
  await mkdir(join(modelsDir, 'adapters'), { recursive: true });
  const spec = { ...TINY_BASE, contextLength: 512 };
  const basePath = join(modelsDir, 'demo-base.gguf');
  await writeTinyBaseModel(`${basePath}.tmp`, spec);
  await rename(`${basePath}.tmp`, basePath);
  const adapters = [];
  for (const adapter of DEMO_ADAPTERS) {
    const path = join(modelsDir, 'adapters', adapter.file);
    await writeTinyLoraAdapter(`${path}.tmp`, spec, { rank: adapter.rank, alpha: adapter.alpha, seed: adapter.seed });
    await rename(`${path}.tmp`, path);
    adapters.push({ name: adapter.name, path, rank: adapter.rank, pricePer1kTokens: String(adapter.pricePer1kTokens), sha256: await sha256File(path) });
  }
  const manifest = { base: { name: 'demo-base', path: basePath, sha256: await sha256File(basePath) }, adapters };
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  log(`wrote demo base model and ${adapters.length} adapters to ${modelsDir}`);
  return manifest;
}
