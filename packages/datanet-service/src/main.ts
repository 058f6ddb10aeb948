import { closeOnSignals } from '@openledger/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const app = await buildApp(config);
closeOnSignals([app]);
await app.listen({ port: config.port, host: config.host });
