import Fastify from 'fastify';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'drizzle-orm';
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

test('problem plugin: `decorate` adds its members to every problem body (thrown, validation, 404, 500)', async () => {
  const app = Fastify(serverOptions({ logger: false }));
  await app.register(problemPlugin, { decorate: (p) => ({ error: { message: p.detail, status: p.status } }) });
  app.post('/echo', { schema: { body: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (req) => req.body);
  app.get('/slow', async () => {
    throw tooManyRequests('slow down', 3);
  });
  app.get('/boom', async () => {
    throw new Error('secret internals');
  });
  try {
    for (const [method, url, status] of [['GET', '/slow', 429], ['POST', '/echo', 400], ['GET', '/nowhere', 404], ['GET', '/boom', 500]] as const) {
      const res = await app.inject({ method, url, payload: method === 'POST' ? { n: 0 } : undefined });
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(body).toMatchObject({ status, error: { message: body.detail, status } });
    }
  } finally {
    await app.close();
  }
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

describe.each(process.env.DATABASE_URL ? ['postgres'] : [])('a %s connection lost mid-transaction', (kind) => {
  test('fails that transaction and nothing else: the process lives, the pool reconnects, nothing half-written', async () => {
    const testDb = await createTestDatabase('kit_lost', kind as 'postgres');
    const handle = await openDatabase({ service: 'kit', url: testDb.url, migrationsFolder, schema: { items } });
    const admin = new pg.Client({ connectionString: testDb.url });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      let backendPid = 0;
      const tx = handle.db.transaction(async (t) => {
        await t.insert(items).values({ name: 'half' });
        const r = await t.execute(sql`select pg_backend_pid() as pid`);
        backendPid = (r as unknown as { rows: { pid: number }[] }).rows[0]!.pid;
        await t.execute(sql`select pg_sleep(10)`);
      });
      while (backendPid === 0) await new Promise((r) => setTimeout(r, 10));
      await admin.query('select pg_terminate_backend($1)', [backendPid]);
      await expect(tx).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 50)); // let the socket's 'end' be emitted
      expect(uncaught).toEqual([]);
      await handle.ping();
      expect(await handle.db.select().from(items)).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await handle.close();
      await testDb.drop();
    }
  }, 30_000);
});

describe.each(process.env.DATABASE_URL ? ['postgres'] : [])('services sharing one %s database', (kind) => {
  /** A migrations folder for `service` whose one migration creates its own schema and table. */
  function serviceMigrations(dir: string, service: string): string {
    const folder = join(dir, service);
    mkdirSync(join(folder, 'meta'), { recursive: true });
    copyFileSync(join(migrationsFolder, 'meta', '_journal.json'), join(folder, 'meta', '_journal.json'));
    writeFileSync(join(folder, '0000_init.sql'), `CREATE SCHEMA IF NOT EXISTS "${service}";\n--> statement-breakpoint\nCREATE TABLE "${service}"."items" ("id" serial PRIMARY KEY);`);
    return folder;
  }

  test('start together on a fresh database and each migrate (no race on shared schemas)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-migrations-'));
    try {
      for (let round = 0; round < 10; round++) {
        const testDb = await createTestDatabase(`kit_race${round}`, kind as 'postgres');
        try {
          const services = ['svc_a', 'svc_b', 'svc_c', 'svc_d', 'svc_e', 'svc_f', 'svc_g', 'svc_h'];
          const handles = await Promise.all(
            services.map((service) => openDatabase({ service, url: testDb.url, migrationsFolder: serviceMigrations(dir, service), schema: {} })),
          );
          for (const [i, h] of handles.entries()) {
            const rows = await h.db.execute(sql.raw(`select count(*)::int as n from "${services[i]}"."items"`));
            expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
            await h.close();
          }
        } finally {
          await testDb.drop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
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
