import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');

/** The services' default ports, by convention (docs) and as read from each service's config.ts. */
export const SERVICE_PORTS: Record<string, number> = { 'inference-gateway': 8080, 'datanet-service': 8081, 'attribution-worker': 8082 };

/** PORT default in packages/<service>/src/config.ts, when the file declares one. */
export function portInServiceConfig(service: string): number | undefined {
  const file = join(REPO, 'packages', service, 'src', 'config.ts');
  if (!existsSync(file)) return undefined;
  const match = /['"]PORT['"]\s*,\s*(\d+)/.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

export type Doc = Record<string, any>;

/** Every YAML document of a file, failing on any parse error or warning. */
export function loadYaml(path: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { prettyErrors: true, merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  return list.map((doc) => doc.toJS({ maxAliasCount: 100 })).filter((value) => value != null);
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .map((name) => join(dir, name));
}

/** Values that look like secrets written inline: private keys, passwords in URLs, tokens. */
export function looksSecret(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(value.trim())) return true; // a raw 32-byte key
  if (/:\/\/[^/\s:@]+:[^@\s$]+@/.test(value) && !/\$\{/.test(value)) return true; // user:password@ without interpolation
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return true;
  return false;
}

export function walk(value: unknown, visit: (value: unknown, path: string) => void, path = ''): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, visit, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, visit, path ? `${path}.${k}` : k);
}
