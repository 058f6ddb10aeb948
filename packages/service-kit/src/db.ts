import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type Database<TSchema extends Record<string, unknown> = Record<string, unknown>> = PgDatabase<
  PgQueryResultHKT,
  TSchema
>;

export interface DatabaseConfig<TSchema extends Record<string, unknown>> {
  /** Owner of the tables; names the migrations journal so services can share one Postgres. */
  service: string;
  /** `postgres://…`; when absent, embedded PGlite stores its data in `dataDir`. */
  url?: string;
  /** PGlite data directory (ignored with `url`). `memory://` keeps it in memory. */
  dataDir?: string;
  /** Folder of SQL migrations written by `drizzle-kit generate`. */
  migrationsFolder: string;
  schema: TSchema;
  /** node-postgres pool size. */
  poolSize?: number;
}

export interface DatabaseHandle<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  kind: 'postgres' | 'pglite';
  /** The raw driver: a `pg.Pool` or a `PGlite` instance (for COPY and other driver-level work). */
  driver: pg.Pool | PGlite;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The advisory lock every service takes to migrate (services may share one Postgres database). */
const MIGRATION_LOCK = 'openledger_migrations';

/**
 * Opens the service's database — Postgres when `url` is given, embedded PGlite otherwise — and applies
 * its committed migrations under an advisory lock shared by every service, so replicas and services
 * starting together migrate one at a time.
 */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  config: DatabaseConfig<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  const migrationsTable = `__migrations_${config.service.replace(/[^a-z0-9_]/gi, '_')}`;
  if (config.url) {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
    pool.on('error', () => {
      /* idle client errors (server restart) surface on the next query */
    });
    // A checked-out client (a transaction, a COPY, the migration lock) has no listener of the pool's: when
    // its connection drops (Postgres restarted or the backend terminated) pg emits 'error' on the client,
    // and an unheard 'error' ends the process. The statement in flight rejects with that same error and
    // the caller handles it, so the event itself needs nothing more.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const db = drizzlePg(pool, { schema: config.schema });
    const lockClient = await pool.connect();
    try {
      // one lock for every service sharing the database, not one per journal: drizzle's
      // `CREATE SCHEMA IF NOT EXISTS "drizzle"` (and a service's own) races when two services run it at once
      await lockClient.query('select pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
      await migratePg(db, { migrationsFolder: config.migrationsFolder, migrationsTable });
    } finally {
      await lockClient.query('select pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
      lockClient.release();
    }
    return {
      db: db as unknown as Database<TSchema>,
      kind: 'postgres',
      driver: pool,
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  const dataDir = config.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { schema: config.schema });
  await migratePglite(db, { migrationsFolder: config.migrationsFolder, migrationsTable });
  return {
    db: db as unknown as Database<TSchema>,
    kind: 'pglite',
    driver: client,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
