import { jestConfig } from '../../jest.base.js';
// The end-to-end files each run a whole stack: one at a time on the shared cores.
export default jestConfig({ testTimeout: 300_000, maxWorkers: 1 });
