import Fastify from 'fastify';
import { fileURLToPath } from 'node:url';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { Type } from 'typebox';
import {
  problemPlugin,
  healthPlugin,
  docsPlugin,
  openDatabase,
  createRedis,
  pingRedis,
  badRequest,
  tooManyRequests,
  serverOptions,
  envInt,
  ConfigError,
} from '../src/index.js';
import { createTestDatabase, testRedisUrl } from '../src/testing/index.js';

const items = pgTable('kit_items', { id: serial('id').primaryKey(), name: text('name').notNull().unique() });
const migrationsFolder = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

describe('problem plugin', () => {
  const app = Fastify(serverOptions({ logger: false }));
  beforeAll(async () => {
    await app.register(problemPlugin);
    await app.register(docsPlugin, { title: 'kit', version: '0.0.0' });
    app.post(
      '/echo',
      { schema: { body: Type.Object({ n: Type.Integer({ minimum: 1 }) }), response: { 200: Type.Object({ n: Type.Integer() }) } } },
      async (req) => req.body as { n: number },
    );
    app.get('/bad', async () => {
      throw badRequest('field "x" is wrong');
    });
    app.get('/slow', async () => {
      throw tooManyRequests('slow down', 3);
    });
    app.get('/db-down', async () => {
      const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      throw new Error('Failed query: select 1', { cause: driver });
    });
    app.get('/boom', async () => {
      throw new Error('secret internals');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  test('validation errors name the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { n: 0 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(res.json().detail).toContain('/n');
  });
  test('typed problems keep their status, detail and headers', async () => {
    expect((await app.inject('/bad')).json()).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'field "x" is wrong' });
    const slow = await app.inject('/slow');
    expect(slow.statusCode).toBe(429);
    expect(slow.headers['retry-after']).toBe('3');
  });
  test('unexpected errors hide internals and quote the request id', async () => {
    const res = await app.inject({ url: '/boom', headers: { 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json().detail).toContain('req-123');
  });
  test('an unreachable database is a 503 problem with Retry-After, not a 500', async () => {
    const res = await app.inject('/db-down');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(res.body).not.toContain('ECONNREFUSED');
  });
  test('unknown routes are problem 404s', async () => {
    const res = await app.inject('/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe('no route for GET /nope');
  });
  test('OpenAPI document lists the routes', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/echo', '/bad']));
  });
});

describe.each(['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const)('database on %s', (kind) => {
  test('migrates once, survives a second open, and answers ping', async () => {
    const testDb = await createTestDatabase('kit', kind as 'pglite' | 'postgres');
    try {
      const cfg = { service: 'kit', url: testDb.url, dataDir: testDb.dataDir, migrationsFolder, schema: { items } };
      const first = await openDatabase(cfg);
      await first.db.insert(items).values({ name: 'a' });
      await first.ping();
      await first.close();
      const second = await openDatabase(cfg); // migrations already applied: no error, data kept
      const rows = await second.db.select().from(items);
      expect(rows.map((r) => r.name)).toEqual(['a']);
      await expect(second.db.insert(items).values({ name: 'a' })).rejects.toThrow();
      await second.close();
    } finally {
      await testDb.drop();
    }
  });
});

describe('health and redis', () => {
  test('readyz reports each dependency and fails when one is down', async () => {
    const redis = createRedis(testRedisUrl());
    const app = Fastify({ logger: false });
    await app.register(healthPlugin, {
      checks: { redis: () => pingRedis(redis), rpc: async () => Promise.reject(new Error('connection refused')) },
    });
    const live = await app.inject('/healthz');
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.redis.ok).toBe(true);
    expect(ready.json().checks.rpc).toMatchObject({ ok: false, error: 'connection refused' });
    await app.close();
    redis.disconnect();
  });
});

describe('config', () => {
  test('names the bad variable', () => {
    expect(() => envInt({ PORT: 'abc' }, 'PORT', 1)).toThrow(new ConfigError('PORT', 'must be an integer, got "abc"'));
    expect(envInt({}, 'PORT', 8080)).toBe(8080);
  });
});
