import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Wallet } from 'ethers';
import { loadDeployment } from '@openledger/sdk/node';
import { createRedis, openDatabase, QUEUES, type Database, type DatabaseHandle } from '@openledger/service-kit';
import { Attributor } from './attributor.js';
import type { AttributionConfig } from './config.js';
import { schema } from './db/schema.js';
import { ChainSender } from './settlement/chain-sender.js';
import { SettlementProvider } from './settlement/provider.js';
import { Settler } from './settlement/settler.js';
import { SemanticService } from './semantic/semantic-service.js';
import { BuildPool } from './span/build-pool.js';
import { contributionAcceptedProcessor } from './workers/contribution-accepted.js';
import { contributionRevokedProcessor } from './workers/contribution-revoked.js';
import { usageEventsProcessor } from './workers/usage-events.js';

export const MIGRATIONS_FOLDER = new URL('../drizzle', import.meta.url).pathname;

export interface Service {
  db: Database;
  handle: DatabaseHandle<typeof schema>;
  attributor: Attributor;
  /** Present when EMBEDDING_MODEL_DIR is set. */
  semantic?: SemanticService;
  settler?: Settler;
  settlementAddress?: string;
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Wires the worker: database, span indexes, the three BullMQ consumers and (with a chain configured)
 * the epoch settler, ticking every EPOCH_SECONDS at epoch boundaries.
 */
export async function startService(config: AttributionConfig, log: (msg: string) => void): Promise<Service> {
  const handle = await openDatabase({ service: 'attribution-worker', url: config.databaseUrl, dataDir: join(config.dataDir, 'db'), migrationsFolder: MIGRATIONS_FOLDER, schema });
  const db = handle.db as unknown as Database;
  const pool = new BuildPool(config.buildThreads);
  const attributor = new Attributor({ db, indexDir: join(config.dataDir, 'index'), pool, params: config.span, retrievalShareBps: config.retrievalShareBps });
  const semantic = config.embeddingModelDir
    ? await SemanticService.open({ modelDir: config.embeddingModelDir, dir: join(config.dataDir, 'semantic'), params: config.semantic, batchSize: config.embedBatch })
    : undefined;
  const connection = createRedis(config.redisUrl);
  const workers = [
    new Worker(QUEUES.contributionAccepted, contributionAcceptedProcessor(attributor, 256 * 1024 * 1024, semantic), { connection, concurrency: 1 }),
    new Worker(QUEUES.contributionRevoked, contributionRevokedProcessor(attributor, semantic), { connection, concurrency: 1 }),
    new Worker(QUEUES.usageEvents, usageEventsProcessor(attributor), { connection, concurrency: config.concurrency }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) => log(`${w.name} job ${job?.id} failed: ${err.message}`));
    // Without a listener an 'error' (Redis unreachable, a lost blocking connection) would be thrown
    // as an uncaught exception and end the process; BullMQ reconnects and goes on by itself.
    w.on('error', (err) => log(`${w.name} worker: ${err.message}`));
  }

  let settler: Settler | undefined;
  let settlementAddress: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  if (config.rpcUrl && config.deploymentsFile && config.operatorKey) {
    const deployment = await loadDeployment(config.deploymentsFile);
    const provider = new SettlementProvider(config.rpcUrl, config.chainId ?? deployment.chainId);
    settlementAddress = deployment.contracts.AttributionSettlement;
    settler = new Settler({
      db,
      chain: {
        provider,
        operator: new Wallet(config.operatorKey, provider),
        settler: new Wallet(config.settlerKey ?? config.operatorKey, provider),
        feeEscrow: deployment.contracts.FeeEscrow,
        settlement: deployment.contracts.AttributionSettlement,
      },
      sender: new ChainSender(db, provider, config.confirmations),
      leavesDir: join(config.dataDir, 'leaves'),
      publicUrl: config.publicUrl,
      log,
    });
    const epochMs = config.epochSeconds * 1000;
    const tick = (): void => {
      const cutoff = new Date(Math.floor(Date.now() / epochMs) * epochMs);
      running = running.then(() => settler!.tick(cutoff)).catch((error: Error) => log(`settlement: ${error.message}`));
    };
    tick(); // resume an interrupted epoch at once
    timer = setInterval(tick, Math.min(epochMs, 60_000));
  }
  return {
    db,
    handle,
    attributor,
    semantic,
    settler,
    settlementAddress,
    workers,
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all(workers.map((w) => w.close()));
      await running;
      await pool.close();
      await semantic?.close();
      connection.disconnect();
      await handle.close();
    },
  };
}
