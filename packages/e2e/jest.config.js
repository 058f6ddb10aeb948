import { jestConfig } from '../../jest.base.js';
// The end-to-end files each run a whole stack: one at a time on the shared cores. Every child process
// is stopped in afterAll; forceExit only cuts idle keep-alive sockets of the HTTP clients short.
export default jestConfig({ testTimeout: 300_000, maxWorkers: 1, forceExit: true });
