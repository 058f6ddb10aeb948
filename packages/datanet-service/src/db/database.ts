import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { openDatabase, type DatabaseHandle } from '@openledger/service-kit';
import { schema, type DatanetSchema } from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, DatanetSchema>;

export interface ServiceDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  handle: DatabaseHandle<DatanetSchema>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'drizzle');

/** Opens Postgres (url) or PGlite (dataDir), applies the migrations, and returns a snake_case Drizzle client. */
export async function openServiceDatabase(options: { url?: string; dataDir?: string }): Promise<ServiceDatabase> {
  const handle = await openDatabase({
    service: 'datanet_service',
    url: options.url,
    dataDir: options.dataDir,
    migrationsFolder: MIGRATIONS_FOLDER,
    schema,
  });
  const db = (
    handle.kind === 'postgres'
      ? drizzlePg(handle.driver as pg.Pool, { schema, casing: 'snake_case' })
      : drizzlePglite(handle.driver as PGlite, { schema, casing: 'snake_case' })
  ) as unknown as Db;
  return { db, kind: handle.kind, handle, close: () => handle.close() };
}
