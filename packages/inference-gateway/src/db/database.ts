import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database, type DatabaseHandle } from '@openledger/service-kit';
import { schema, type GatewaySchema } from './schema.js';

export type Db = Database<GatewaySchema>;

export const MIGRATIONS_FOLDER = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'drizzle');

export function openGatewayDatabase(url: string | undefined, dataDir: string): Promise<DatabaseHandle<GatewaySchema>> {
  return openDatabase({ service: 'inference_gateway', url, dataDir: path.join(dataDir, 'db'), migrationsFolder: MIGRATIONS_FOLDER, schema });
}
