import { closeOnSignals, pingRedis, createRedis } from '@openledger/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { startService } from './service.js';

const config = loadConfig();
const log = (msg: string): void => console.error(`[attribution-worker] ${msg}`);
const service = await startService(config, log);
const redis = createRedis(config.redisUrl);
const app = await buildApp(config, {
  db: service.db,
  settlementAddress: service.settlementAddress,
  semantic: service.semantic,
  checks: { database: () => service.handle.ping(), redis: () => pingRedis(redis) },
});
await app.listen({ port: config.port, host: config.host });
closeOnSignals([app, service, { close: () => redis.disconnect() }], log);
