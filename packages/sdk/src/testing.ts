// @openledger/sdk/testing — Node-only helpers for tests and dev scripts: a real anvil node and the
// real deploy script. Spawns child processes; never import it from browser code.
export * from './testing/anvil.js';
export * from './testing/deploy-stack.js';
