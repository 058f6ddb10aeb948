import { jestConfig } from '../../jest.base.js';
export default jestConfig({
  testTimeout: 120_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
});
