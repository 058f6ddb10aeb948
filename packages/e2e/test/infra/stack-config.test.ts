import { join } from 'node:path';
// @ts-expect-error plain ESM module without types
import { ANVIL_KEYS, DEFAULT_PORTS, describeUrls, redact, stackConfig } from '../../../../infra/dev/lib/config.mjs';
// @ts-expect-error plain ESM module without types
import { resolveInside } from '../../../../infra/dev/lib/static-server.mjs';

const ROOT = '/repo';

describe('dev stack config', () => {
  it('uses the services’ default ports and keeps state under .data', () => {
    const config = stackConfig({}, ROOT);
    expect(config.ports).toEqual(DEFAULT_PORTS);
    expect(config.ports.gateway).toBe(8080);
    expect(config.ports.datanet).toBe(8081);
    expect(config.ports.attribution).toBe(8082);
    expect(config.dataDir).toBe('/repo/.data');
    expect(config.anvil.stateFile).toBe('/repo/.data/anvil/state.json');
    expect(config.anvil.args).toEqual(expect.arrayContaining(['--state', '/repo/.data/anvil/state.json', '--chain-id', '31337']));
    expect(config.deploymentsFile).toBe('/repo/.data/stack/deployments/31337.json');
  });

  it('gives every service the shared env, its own port and data dir, and its keys', () => {
    const config = stackConfig({ REDIS_URL: 'redis://127.0.0.1:6390', DATABASE_URL: 'postgres://u:p@db:5432/app' }, ROOT);
    const byName = Object.fromEntries(config.services.map((s: { name: string }) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['attribution-worker', 'datanet-service', 'inference-gateway']);
    for (const service of config.services) {
      expect(service.entry).toBe(join(ROOT, 'packages', service.name, 'dist', 'main.js'));
      expect(service.env).toMatchObject({
        PORT: String(service.port),
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://127.0.0.1:6390',
        DATABASE_URL: 'postgres://u:p@db:5432/app',
        RPC_URL: 'http://127.0.0.1:8545',
        CHAIN_ID: '31337',
        DEPLOYMENTS_FILE: config.deploymentsFile,
        DATA_DIR: join(ROOT, '.data', service.name),
      });
    }
    expect(byName['datanet-service'].env.RELAYER_PRIVATE_KEY).toMatch(/^0x[0-9a-f]{64}$/);
    expect(byName['attribution-worker'].env.SETTLER_PRIVATE_KEY).toBe(ANVIL_KEYS[4]);
    expect(byName['inference-gateway'].env.BASE_MODEL_PATH).toBe('/repo/.data/models/demo-base.gguf');
    expect(byName['inference-gateway'].env.OPERATOR_ADDRESS).toBe(config.addresses.operator);
    expect(new Set(Object.values(config.addresses)).size).toBe(Object.keys(config.addresses).length);
  });

  it('leaves DATABASE_URL unset (PGlite) when none is given', () => {
    const config = stackConfig({}, ROOT);
    expect(config.databaseUrl).toBeUndefined();
    for (const service of config.services) expect(service.env.DATABASE_URL).toBeUndefined();
  });

  it('rejects bad ports, clashing ports and bad URLs naming the variable', () => {
    expect(() => stackConfig({ GATEWAY_PORT: 'eighty' }, ROOT)).toThrow(/GATEWAY_PORT: must be a TCP port/);
    expect(() => stackConfig({ DATANET_PORT: '8080' }, ROOT)).toThrow(/DATANET_PORT: port 8080 is also used by gateway/);
    expect(() => stackConfig({ REDIS_URL: 'http://x' }, ROOT)).toThrow(/REDIS_URL: must use redis:/);
    expect(() => stackConfig({ DATABASE_URL: 'not a url' }, ROOT)).toThrow(/DATABASE_URL: must be a URL/);
  });

  it('moves everything with OPENLEDGER_DATA_DIR and the ports with their variables', () => {
    const config = stackConfig({ OPENLEDGER_DATA_DIR: '/tmp/x', ANVIL_PORT: '9545', GATEWAY_PORT: '18080' }, ROOT);
    expect(config.urls.rpc).toBe('http://127.0.0.1:9545');
    expect(config.urls.gateway).toBe('http://127.0.0.1:18080');
    expect(config.services.every((s: { env: Record<string, string> }) => s.env.RPC_URL === 'http://127.0.0.1:9545')).toBe(true);
    expect(config.seedFile).toBe('/tmp/x/stack/seed.json');
  });

  it('prints the URLs without a database password', () => {
    const config = stackConfig({ DATABASE_URL: 'postgres://u:secret@db:5432/app' }, ROOT);
    const text = describeUrls(config, { apiKey: 'olk_x', adapterModels: ['adapter-1'] }).join('\n');
    expect(text).toContain('http://127.0.0.1:8080/v1');
    expect(text).not.toContain('secret');
    expect(text).toContain('"model":"adapter-1"');
    expect(redact('redis://:pw@h:1')).toBe('redis://:***@h:1');
  });
});

describe('dashboard static server paths', () => {
  it('keeps requests inside the bundle', () => {
    expect(resolveInside('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js');
    expect(resolveInside('/srv/dist', '/../../etc/passwd')).toBe('/srv/dist/etc/passwd');
    expect(resolveInside('/srv/dist', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/dist/etc/passwd');
    expect(resolveInside('/srv/dist', '/a%00b')).toBeUndefined();
    expect(resolveInside('/srv/dist', '/%E0%A4%A')).toBeUndefined();
  });
});
