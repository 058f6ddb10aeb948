export * from './problem.js';
export { problemPlugin } from './problem-plugin.js';
export * from './schemas.js';
export { healthPlugin, type HealthOptions, type ReadinessCheck } from './health.js';
export { docsPlugin, type DocsOptions } from './docs.js';
export * from './db.js';
export * from './redis.js';
export * from './server.js';
export * from './config.js';
