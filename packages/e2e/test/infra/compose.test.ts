import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SERVICE_PORTS, loadYaml, looksSecret, portInServiceConfig, walk } from './manifests.js';

const compose = loadYaml(join(REPO, 'infra', 'docker-compose.yml'))[0]!;
const services = compose.services as Record<string, any>;

describe('infra/docker-compose.yml', () => {
  it('has Postgres, Redis, the three services, the engine and the dashboard', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['attribution-worker', 'dashboard', 'datanet-service', 'inference-engine', 'inference-gateway', 'postgres', 'redis'].sort(),
    );
  });

  it('builds every service from a Dockerfile that exists, with a pinned image name', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(typeof service.image).toBe('string');
      if (['postgres', 'redis'].includes(name)) {
        expect(service.image).toMatch(/^(postgres|redis):\d+/);
        continue;
      }
      const dockerfile = join(REPO, 'infra', service.build.context, service.build.dockerfile);
      expect(existsSync(dockerfile)).toBe(true);
      if (service.build.dockerfile.endsWith('service.Dockerfile')) expect(service.build.args.SERVICE).toBe(name);
    }
  });

  it('runs each service on its default port and publishes it', () => {
    for (const [name, port] of Object.entries(SERVICE_PORTS)) {
      const fromConfig = portInServiceConfig(name);
      if (fromConfig !== undefined) expect(fromConfig).toBe(port);
      expect(Number(services[name].environment.PORT)).toBe(port);
      expect(services[name].ports).toContain(`${port}:${port}`);
    }
  });

  it('gives the services the shared env and waits for healthy Postgres and Redis', () => {
    for (const name of Object.keys(SERVICE_PORTS)) {
      const env = services[name].environment;
      for (const key of ['DATABASE_URL', 'REDIS_URL', 'RPC_URL', 'CHAIN_ID', 'DEPLOYMENTS_FILE']) expect(env[key]).toBeDefined();
      expect(env.DATABASE_URL).toContain('@postgres:5432/');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(services[name].depends_on.postgres.condition).toBe('service_healthy');
      expect(services[name].depends_on.redis.condition).toBe('service_healthy');
    }
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.redis.healthcheck.test).toContain('ping');
    expect(services.redis.command).toContain('--appendonly');
  });

  it('reserves a GPU for the engine and mounts models read-only', () => {
    const engine = services['inference-engine'];
    expect(engine.deploy.resources.reservations.devices[0].capabilities).toContain('gpu');
    expect(engine.volumes.some((v: string) => v.endsWith(':/models:ro'))).toBe(true);
    expect(services['inference-gateway'].volumes.some((v: string) => v.endsWith(':/models:ro'))).toBe(true);
  });

  it('writes no secret inline: keys and passwords are required variables', () => {
    walk(compose, (value, path) => {
      if (looksSecret(value)) throw new Error(`inline secret at ${path}`);
    });
    for (const name of ['datanet-service', 'attribution-worker', 'inference-gateway']) {
      for (const [key, value] of Object.entries(services[name].environment as Record<string, string>)) {
        if (/PRIVATE_KEY|PASSWORD/.test(key)) expect(value).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
    expect(services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });
});
