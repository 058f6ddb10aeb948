import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SERVICE_PORTS, loadYaml, type Doc } from './manifests.js';
// @ts-expect-error plain ESM module without types
import { stackConfig } from '../../../../infra/dev/lib/config.mjs';

/** Every environment variable name a service's src/config.ts mentions (quoted upper-case names). */
function namesRead(service: string): Set<string> {
  const source = readFileSync(join(REPO, 'packages', service, 'src', 'config.ts'), 'utf8');
  return new Set([...source.matchAll(/['"]([A-Z][A-Z0-9_]{2,})['"]/g)].map((m) => m[1]!));
}

const SERVICES = Object.keys(SERVICE_PORTS);
const read = Object.fromEntries(SERVICES.map((s) => [s, namesRead(s)]));
const readByAny = new Set(SERVICES.flatMap((s) => [...read[s]!]));
/** Read by Node or the runtime rather than config.ts. */
const RUNTIME = new Set(['NODE_ENV']);

describe('environment names match what the services read', () => {
  it('each service config reads the shared variables', () => {
    for (const service of SERVICES) {
      for (const name of ['PORT', 'HOST', 'REDIS_URL', 'DATABASE_URL', 'RPC_URL', 'CHAIN_ID', 'DEPLOYMENTS_FILE', 'DATA_DIR']) {
        expect([service, name, read[service]!.has(name)]).toEqual([service, name, true]);
      }
    }
  });

  it('the dev stack sets only variables its services read', () => {
    const config = stackConfig({ DATABASE_URL: 'postgres://x@h/db' }, REPO);
    for (const service of config.services) {
      const unknown = Object.keys(service.env).filter((name) => !RUNTIME.has(name) && !read[service.name]!.has(name));
      expect([service.name, unknown]).toEqual([service.name, []]);
    }
  });

  it('docker-compose sets only variables its services read', () => {
    const compose = loadYaml(join(REPO, 'infra', 'docker-compose.yml'))[0]!;
    for (const [name, service] of Object.entries(compose.services as Record<string, Doc>)) {
      const code = name === 'inference-engine' ? 'inference-gateway' : name;
      if (!SERVICES.includes(code)) continue;
      const unknown = Object.keys(service.environment).filter((key) => !RUNTIME.has(key) && !read[code]!.has(key));
      expect([name, unknown]).toEqual([name, []]);
    }
  });

  it('Kubernetes sets only variables the services read', () => {
    const docs = ['config.yaml', 'datanet-service.yaml', 'attribution-worker.yaml', 'inference-gateway.yaml', 'inference-engine.yaml'].flatMap((f) =>
      loadYaml(join(REPO, 'infra', 'k8s', f)),
    );
    const shared = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'openledger-config')!;
    const unknownShared = Object.keys(shared.data).filter((key) => !RUNTIME.has(key) && !readByAny.has(key));
    expect(unknownShared).toEqual([]);
    for (const workload of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')) {
      const name = workload.metadata.name as string;
      const code = name === 'inference-engine' ? 'inference-gateway' : name;
      const env = workload.spec.template.spec.containers[0].env as Doc[];
      const unknown = env.map((e) => e.name as string).filter((key) => !RUNTIME.has(key) && !read[code]!.has(key));
      expect([name, unknown]).toEqual([name, []]);
    }
  });
});
