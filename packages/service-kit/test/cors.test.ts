import Fastify from 'fastify';
import { ConfigError, badRequest, corsPlugin, parseCorsOrigins, problemPlugin, serverOptions } from '../src/index.js';

const DASHBOARD = 'http://127.0.0.1:8090';

async function appWith(origins: string[]) {
  const app = Fastify(serverOptions({ logger: false }));
  await app.register(problemPlugin);
  await app.register(corsPlugin, { origins });
  app.get('/v1/items', async () => ({ items: [1, 2] }));
  app.post('/v1/items', async () => {
    throw badRequest('field "name" is required');
  });
  await app.ready();
  return app;
}

describe('cors plugin', () => {
  it('lets the configured origin read answers, errors included, and no other origin', async () => {
    const app = await appWith([DASHBOARD]);
    try {
      const ok = await app.inject({ method: 'GET', url: '/v1/items', headers: { origin: DASHBOARD } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(ok.headers.vary).toContain('Origin');
      expect(String(ok.headers['access-control-expose-headers'])).toContain('retry-after');

      const error = await app.inject({ method: 'POST', url: '/v1/items', headers: { origin: DASHBOARD }, payload: {} });
      expect(error.statusCode).toBe(400);
      expect(error.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(error.json().detail).toBe('field "name" is required');

      const other = await app.inject({ method: 'GET', url: '/v1/items', headers: { origin: 'https://evil.example' } });
      expect(other.statusCode).toBe(200); // server-to-server answers are unchanged; the browser blocks the read
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const noOrigin = await app.inject({ method: 'GET', url: '/v1/items' });
      expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('answers preflights: 204 with methods and headers for an allowed origin, 403 problem for another', async () => {
    const app = await appWith([DASHBOARD]);
    try {
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/v1/items',
        headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(pre.headers['access-control-allow-headers'])).toContain('authorization');
      expect(pre.headers['access-control-max-age']).toBe('600');

      const refused = await app.inject({
        method: 'OPTIONS',
        url: '/v1/items',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().detail).toContain('https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('with "*" any origin may read, without Vary', async () => {
    const app = await appWith(['*']);
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/items', headers: { origin: 'https://anyone.example' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers.vary).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('parses CORS_ORIGINS and names the variable for a bad entry', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' ')).toEqual([]);
    expect(parseCorsOrigins(`${DASHBOARD}, https://app.example.org`)).toEqual([DASHBOARD, 'https://app.example.org']);
    expect(parseCorsOrigins('*')).toEqual(['*']);
    expect(() => parseCorsOrigins('https://app.example.org/')).toThrow(ConfigError);
    expect(() => parseCorsOrigins('app.example.org')).toThrow(/CORS_ORIGINS: "app.example.org" is not an origin/);
    expect(() => parseCorsOrigins('ftp://x.example')).toThrow(ConfigError);
  });
});
