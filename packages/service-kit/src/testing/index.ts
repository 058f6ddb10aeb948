import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** Postgres URL of a fresh database, or undefined when tests run on PGlite. */
  url?: string;
  /** PGlite data directory (a fresh temp dir) when `url` is undefined. */
  dataDir?: string;
  kind: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new database on the server named by DATABASE_URL,
 * or a PGlite directory in a temp folder when DATABASE_URL is unset (or `kind: 'pglite'` is asked).
 */
export async function createTestDatabase(prefix: string, kind?: 'postgres' | 'pglite'): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (kind !== 'pglite' && serverUrl) {
    const name = `${prefix.replace(/[^a-z0-9_]/gi, '_')}_test_${randomBytes(4).toString('hex')}`.toLowerCase();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgres',
      drop: async () => {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`drop database if exists "${name}" with (force)`);
        await c.end();
      },
    };
  }
  if (kind === 'postgres') throw new Error('createTestDatabase: DATABASE_URL is not set');
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-pglite-`));
  return { dataDir, kind: 'pglite', drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** The Redis URL tests use (a real server; scripts/test.sh starts one when none is given). */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}
