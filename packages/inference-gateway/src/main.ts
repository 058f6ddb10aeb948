import { loadDeployment } from '@openledger/sdk/node';
import { closeOnSignals, type Closeable } from '@openledger/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createEngine } from './workers/engine-factory.js';
import { InferenceWorker } from './workers/inference-worker.js';

const config = loadConfig();
const deployment = config.chain ? await loadDeployment(config.chain.deploymentsFile) : undefined;
const app = await buildApp(config, { deployment, startMirror: true });
const closeables: Closeable[] = [app];
for (let i = 0; i < config.engineWorkers; i++) {
  const engine = createEngine(config, i, (m) => app.log.info(m));
  const worker = new InferenceWorker({ redisUrl: config.redisUrl, prefix: config.queuePrefix, engine, concurrency: config.engine.contexts, log: (m) => app.log.warn(m) });
  await worker.start();
  app.ctx.dispatcher.attachLocal(worker); // fast path: requests this worker has room for skip the queue
  closeables.push(worker, engine);
}
await app.listen({ host: config.host, port: config.port });
// HTTP first (no new work), then workers, then engine processes
closeOnSignals(closeables, (m) => app.log.info(m));
