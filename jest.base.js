// Shared Jest settings: TypeScript through @swc/jest, native ESM (run jest with
// NODE_OPTIONS=--experimental-vm-modules, which every package's `test` script does).
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    // Workspace packages resolve to their TypeScript sources, so tests never need a prior build.
    moduleNameMapper: {
      '^@openledger/sdk$': new URL('./packages/sdk/src/index.ts', import.meta.url).pathname,
      '^@openledger/sdk/(.*)$': new URL('./packages/sdk/src/', import.meta.url).pathname + '$1',
      '^@openledger/service-kit$': new URL('./packages/service-kit/src/index.ts', import.meta.url).pathname,
      '^@openledger/service-kit/testing$': new URL('./packages/service-kit/src/testing/index.ts', import.meta.url).pathname,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', tsx: true },
            target: 'es2022',
            transform: { react: { runtime: 'automatic' } },
          },
          module: { type: 'es6' },
        },
      ],
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.tsx'],
    testTimeout: 60_000,
    ...overrides,
  };
}
