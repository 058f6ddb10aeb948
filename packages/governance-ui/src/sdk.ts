// The browser-safe parts of @openledger/sdk, imported by source path. The sdk's main entry also
// re-exports merkle/record-hasher.ts, whose `import hashWasm from 'hash-wasm'` (a default import
// of an ESM module without a default export) breaks the browser build; the UI needs none of it.
export * from '@openledger/sdk-src/errors.js';
export * from '@openledger/sdk-src/deployment.js';
export * from '@openledger/sdk-src/chains.js';
export * from '@openledger/sdk-src/contracts.js';
export * from '@openledger/sdk-src/generated/abis.js';
export * from '@openledger/sdk-src/supply/index.js';
