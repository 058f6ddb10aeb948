// @openledger/sdk — browser-safe entry. Node-only helpers: '@openledger/sdk/node' (files),
// '@openledger/sdk/testing' (anvil, deploys).
export * from './errors.js';
export * from './deployment.js';
export * from './chains.js';
export * from './contracts.js';
export * from './revert.js';
export * from './generated/abis.js';
export type * from './generated/types/index.js';
export * from './eip712/index.js';
export * from './siwe/index.js';
export * from './merkle/index.js';
export * from './indexer/index.js';
export * from './supply/index.js';
