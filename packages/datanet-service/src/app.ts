import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { inArray } from 'drizzle-orm';
import { contractAbis, createIndexer, createRecordHasher, type Deployment, type Indexer } from '@openledger/sdk';
import { QUEUES, corsPlugin, createRedis, docsPlugin, healthPlugin, pingRedis, problemPlugin, serverOptions } from '@openledger/service-kit';
import { SessionService } from './auth/sessions.js';
import { loadChainContext } from './chain.js';
import type { DatanetServiceConfig } from './config.js';
import type { ServiceContext } from './context.js';
import { openServiceDatabase } from './db/database.js';
import { batches } from './db/schema.js';
import { createMetadataResolver } from './mirror/metadata.js';
import { OutboxDispatcher } from './mirror/outbox-dispatcher.js';
import { DbCursorStore, RegistryMirror } from './mirror/registry-mirror.js';
import { RELAY_QUEUE, ensureRelayJob, type RelayJob } from './relay/relay-queue.js';
import { authRoutes } from './routes/auth.js';
import { batchRoutes } from './routes/batches.js';
import { datanetRoutes } from './routes/datanets.js';
import { exportRoutes } from './routes/export.js';
import { reviewRoutes } from './routes/review.js';
import { LocalBlobStore } from './store/blob-store.js';
import { sweepOrphanRecords } from './upload/record-writer.js';
import { RecordValidatorCache } from './upload/schema-validator.js';
import { createSubmitContributionProcessor, type SubmitResult } from './workers/submit-contribution.js';
import { join } from 'node:path';

export interface AppDeps {
  /** A parsed deployment (tests); read from DEPLOYMENTS_FILE otherwise. */
  deployment?: Deployment;
  /** Run the chain mirror loop (default true). Tests may drive it with `background.indexer.syncToHead()`. */
  startIndexer?: boolean;
  /** Run the relay worker (default true). */
  startRelayWorker?: boolean;
  logger?: boolean;
}

/** Background parts, exposed for main.ts and tests. */
export interface Background {
  indexer: Indexer;
  mirror: RegistryMirror;
  outbox: OutboxDispatcher;
  relayWorker?: Worker<RelayJob, SubmitResult>;
  queues: Record<string, Queue>;
  redis: Redis;
  /** Indexes up to the head and enqueues what that caused. */
  syncMirror(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    background: Background;
  }
}

export async function buildApp(config: DatanetServiceConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({ ...serverOptions({ logLevel: config.logLevel, bodyLimit: 1024 * 1024, logger: deps.logger }) });
  const database = await openServiceDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'db') });
  const chain = await loadChainContext(config, deps.deployment);
  const store = await new LocalBlobStore(join(config.dataDir, 'blobs')).init();
  const redis = createRedis(config.redisUrl);
  const queueOptions = { connection: redis, prefix: config.queuePrefix };
  const queues: Record<string, Queue> = {
    [QUEUES.contributionAccepted]: new Queue(QUEUES.contributionAccepted, queueOptions),
    [QUEUES.contributionRevoked]: new Queue(QUEUES.contributionRevoked, queueOptions),
    [RELAY_QUEUE]: new Queue(RELAY_QUEUE, queueOptions),
  };
  // A connection 'error' with no listener would end the process; enqueues fail and are retried instead.
  for (const q of Object.values(queues)) q.on('error', (err) => app.log.warn({ err, queue: q.name }, 'queue connection error'));

  const ctx: ServiceContext = {
    config,
    database,
    chain,
    sessions: new SessionService(database.db, {
      domain: config.siweDomain,
      chainId: config.chainId,
      nonceTtlSeconds: config.nonceTtlSeconds,
      sessionTtlSeconds: config.sessionTtlSeconds,
    }),
    store,
    hasher: await createRecordHasher(),
    validators: new RecordValidatorCache(),
    resolveMetadata: createMetadataResolver(store, config.publicUrl),
    relayQueue: queues[RELAY_QUEUE]!,
  };
  app.decorate('ctx', ctx);

  // crash recovery: unfinished uploads leave nothing behind; signed batches get their relay job back
  await store.sweepTemporary();
  if (database.kind === 'pglite') await sweepOrphanRecords(database);

  const mirror = new RegistryMirror(database.db, {
    resolveMetadata: ctx.resolveMetadata,
    exportUrl: (id) => `${config.publicUrl}/contributions/${id}/export.jsonl`,
  });
  const outbox = new OutboxDispatcher(database.db, queues);
  const drainOutbox = () => outbox.drain().catch((err) => app.log.error({ err }, 'outbox dispatch failed; retried on the next event'));
  const indexer = createIndexer({
    provider: chain.provider,
    chainId: config.chainId,
    sources: [{ name: 'DatanetRegistry', address: chain.registryAddress, abi: contractAbis.DatanetRegistry }],
    startBlock: chain.deployment.startBlock,
    cursorStore: new DbCursorStore(database.db),
    confirmations: config.confirmations,
    finalityBlocks: chain.chain.finalityBlocks,
    pollingIntervalMs: config.pollingIntervalMs,
    onEvent: async (event) => {
      await mirror.handle(event);
      if (event.type !== 'finalize') void drainOutbox();
    },
    onError: (err) => app.log.error({ err }, 'indexer poll failed'),
  });

  let relayWorker: Worker<RelayJob, SubmitResult> | undefined;
  if (deps.startRelayWorker !== false && chain.relayer) {
    relayWorker = new Worker<RelayJob, SubmitResult>(RELAY_QUEUE, createSubmitContributionProcessor({ db: database.db, chain, receiptTimeoutMs: config.relayReceiptTimeoutMs }), {
      connection: createRedis(config.redisUrl),
      prefix: config.queuePrefix,
      concurrency: 1, // one relayer account: its transaction nonces go out in order
    });
    relayWorker.on('failed', (job, err) => app.log.warn({ batchId: job?.data.batchId, err: err.message }, 'relay attempt failed'));
    relayWorker.on('error', (err) => app.log.error({ err }, 'relay worker error'));
  }

  const background: Background = {
    indexer,
    mirror,
    outbox,
    relayWorker,
    queues,
    redis,
    async syncMirror() {
      await indexer.syncToHead();
      await outbox.drain();
    },
  };
  app.decorate('background', background);

  app.addHook('onReady', async () => {
    const pending = await database.db.select({ id: batches.id }).from(batches).where(inArray(batches.status, ['signed', 'submitting']));
    for (const b of pending) await ensureRelayJob(ctx.relayQueue, b.id);
    await drainOutbox();
    if (deps.startIndexer !== false) await indexer.start();
  });
  // one close hook, in dependency order: stop producing work, then the connections it used
  app.addHook('onClose', async () => {
    await indexer.stop();
    await relayWorker?.close();
    await (relayWorker?.opts.connection as Redis | undefined)?.quit().catch(() => undefined);
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await redis.quit().catch(() => undefined);
    chain.provider.destroy();
    await database.close();
  });

  await app.register(problemPlugin);
  await app.register(corsPlugin, { origins: config.corsOrigins ?? [] });
  await app.register(docsPlugin, {
    title: 'OpenLedger datanet service',
    version: '0.1.0',
    description: 'Datanets, uploads, relayed submissions, curator review and export, mirrored from DatanetRegistry.',
  });
  await app.register(healthPlugin, {
    checks: {
      database: () => database.handle.ping(),
      redis: () => pingRedis(redis),
      rpc: () => chain.provider.getBlockNumber(),
    },
  });
  await app.register(multipart, { throwFileSizeLimit: true });
  await app.register(authRoutes);
  await app.register(datanetRoutes);
  await app.register(batchRoutes);
  await app.register(reviewRoutes);
  await app.register(exportRoutes);
  return app;
}
