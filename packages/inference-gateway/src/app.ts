import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hashFile } from './engine/runtime/adapter-store.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { JsonRpcProvider } from 'ethers';
import type { Redis } from 'ioredis';
import { getFeeEscrow, type Deployment } from '@openledger/sdk';
import { corsPlugin, createRedis, docsPlugin, healthPlugin, pingRedis, problemPlugin, serverOptions } from '@openledger/service-kit';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { openGatewayDatabase } from './db/database.js';
import { adapterFileRoutes } from './routes/adapter-files.js';
import { authRoutes } from './routes/auth.js';
import { creditRoutes } from './routes/credit.js';
import { metricsRoutes } from './routes/metrics.js';
import { openaiRoutes } from './routes/openai.js';
import { AdapterFileStore } from './services/adapter-files.js';
import { ApiKeyService } from './services/api-keys.js';
import { AuthorizationCache } from './services/authorizations.js';
import { CreditService, type EscrowReader } from './services/credit.js';
import { InferenceDispatcher } from './services/dispatcher.js';
import { engineStatsKey } from './services/inference-protocol.js';
import { InferenceService } from './services/inference-service.js';
import { Metrics } from './services/metrics.js';
import { ModelCatalog } from './services/model-catalog.js';
import { RateLimiter } from './services/rate-limiter.js';
import { RegistryMirror } from './services/registry-mirror.js';
import { UsageRecorder } from './services/usage-recorder.js';
import type { EngineStats } from './engine/types.js';
import { RetrievalClient } from './services/retrieval.js';
import { openaiError } from './routes/openai-error.js';

export interface GatewayDeps {
  /** The contracts deployment (read from DEPLOYMENTS_FILE by main.ts); needed for credit and the registry mirror. */
  deployment?: Deployment;
  /** Start the ModelRegistry mirror (indexer loop). Tests drive it with `app.mirror.syncToHead()`. */
  startMirror?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    mirror: RegistryMirror | null;
  }
}

function defineMetrics(metrics: Metrics, ctx: () => GatewayContext, config: GatewayConfig, redis: Redis): void {
  metrics.counter('gateway_requests_total', 'HTTP requests to the OpenAI-compatible routes by route and status');
  metrics.counter('gateway_tokens_total', 'Tokens metered, by kind (prompt, completion)');
  metrics.counter('gateway_inference_failures_total', 'Inferences that failed (nothing charged), by reason');
  metrics.gauge('gateway_completion_tokens_per_second', 'Completion tokens per second over the last minute (this instance)', () => [[{}, metrics.tokensPerSecond()]]);
  metrics.gauge('gateway_queue_depth', 'Requests waiting for an engine, per base model', () => [[{ base_model: config.engine.baseModelId }, ctx().dispatcher.queueDepth(config.engine.baseModelId)]]);
  metrics.gauge('gateway_engine_workers', 'Live engine workers per base model', () => [[{ base_model: config.engine.baseModelId }, ctx().dispatcher.liveWorkers(config.engine.baseModelId)]]);
  // every worker's heartbeat (up to 2 s old); this process's own workers are asked now
  const engineStats = async () => {
    const all = new Map(Object.entries(await redis.hgetall(engineStatsKey(config.queuePrefix))).map(([worker, json]) => [worker, JSON.parse(json) as EngineStats]));
    await Promise.all(
      ctx()
        .dispatcher.localWorkers()
        .map(async (w) => {
          const fresh = await Promise.race([w.stats(), sleep(1_000, undefined, { ref: false })]).catch(() => undefined);
          if (fresh) all.set(`${w.baseModelId}:${w.workerId}`, fresh);
        }),
    );
    return [...all].map(([worker, stats]) => ({ worker, stats }));
  };
  const per = (pick: (s: EngineStats) => number) => async () => (await engineStats()).map(({ worker, stats }) => [{ worker }, pick(stats)] as [Record<string, string>, number]);
  metrics.gauge('engine_adapter_loads', 'Adapter loads into llama.cpp since the engine worker started (cumulative)', per((s) => s.adapterLoads));
  metrics.gauge('engine_adapter_evictions', 'Adapters evicted from the LRU since the engine worker started (cumulative)', per((s) => s.adapterEvictions));
  metrics.gauge('engine_adapter_cache_hit_ratio', 'Share of adapter uses served by a resident adapter', per((s) => (s.adapterCacheHits + s.adapterCacheMisses ? s.adapterCacheHits / (s.adapterCacheHits + s.adapterCacheMisses) : 0)));
  metrics.gauge('engine_resident_adapter_bytes', 'Bytes of resident adapters, per engine worker', per((s) => s.loadedAdapterBytes));
  metrics.gauge('engine_restarts', 'Engine process restarts after a crash since the worker started (cumulative)', per((s) => s.restarts));
}

/** Builds the gateway API (not the engine workers: see workers/ and main.ts). */
export async function buildApp(config: GatewayConfig, deps: GatewayDeps = {}): Promise<FastifyInstance> {
  const app = Fastify(serverOptions({ logLevel: config.logLevel, bodyLimit: 4 * 1024 * 1024 }));
  const database = await openGatewayDatabase(config.databaseUrl, config.dataDir);
  const redis = createRedis(config.redisUrl);
  const provider = config.chain ? new JsonRpcProvider(config.chain.rpcUrl, config.chain.chainId, { staticNetwork: true }) : null;
  const deployment = deps.deployment;
  let escrow: EscrowReader | null = null;
  if (provider && deployment) {
    const contract = getFeeEscrow(deployment.contracts.FeeEscrow, provider);
    escrow = { balanceOf: (p) => contract.balanceOf(p), spent: (p, o) => contract.spent(p, o) };
  }
  const metrics = new Metrics();
  const dispatcher = new InferenceDispatcher({ redisUrl: config.redisUrl, prefix: config.queuePrefix, maxQueueDepth: config.maxQueueDepth, requestTimeoutMs: config.requestTimeoutMs, localDispatch: config.localDispatch });
  await dispatcher.start();
  const localBaseSha = existsSync(config.engine.baseModelPath) ? await hashFile(config.engine.baseModelPath) : undefined;
  const catalog = new ModelCatalog(database.db, new Map([[config.engine.baseModelId, localBaseSha]]), 5_000, (m) => app.log.error(m));
  const authorizations = new AuthorizationCache(database.db);
  const ctx: GatewayContext = {
    config,
    db: database.db,
    redis,
    keys: new ApiKeyService(database.db, { domain: config.siweDomain, chainId: config.chain?.chainId ?? 31337 }),
    rateLimiter: new RateLimiter(redis, config.queuePrefix, config.rateLimitPerMinute),
    catalog,
    authorizations,
    credit: new CreditService(database.db, redis, authorizations, escrow, config.operatorAddress, config.queuePrefix),
    dispatcher,
    usage: new UsageRecorder(database.db, redis, config.queuePrefix, {
      onError: (e) => app.log.warn({ err: e }, 'usage event not queued yet; it is retried'),
      authorizations,
    }),
    files: new AdapterFileStore(database.db, path.join(config.dataDir, 'adapter-files'), config.maxUploadBytes),
    metrics,
    chainId: config.chain?.chainId ?? 31337,
    escrowAddress: deployment?.contracts.FeeEscrow,
  };
  app.decorate('ctx', ctx);
  defineMetrics(metrics, () => ctx, config, redis);
  const mirror =
    provider && deployment && config.chain
      ? new RegistryMirror({
          db: database.db,
          provider,
          chainId: config.chain.chainId,
          registryAddress: deployment.contracts.ModelRegistry,
          startBlock: deployment.startBlock,
          confirmations: config.chain.confirmations,
          onChange: () => void catalog.reload().catch(() => undefined),
          onError: (e) => app.log.warn({ err: e }, 'registry mirror poll failed'),
        })
      : null;
  app.decorate('mirror', mirror);
  await ctx.usage.flushPending();
  ctx.usage.startFlusher();

  await app.register(problemPlugin, { decorate: (problem) => ({ error: openaiError(problem) }) });
  await app.register(corsPlugin, { origins: config.corsOrigins ?? [] });
  await app.register(docsPlugin, { title: 'OpenLedger inference gateway', version: '0.1.0', description: 'OpenAI-compatible inference over LoRA adapters registered on chain.' });
  await app.register(healthPlugin, {
    checks: {
      database: () => database.ping(),
      redis: () => pingRedis(redis),
      engines: async () => {
        await dispatcher.refresh(config.engine.baseModelId);
        if (dispatcher.liveWorkers(config.engine.baseModelId) === 0) throw new Error(`no live engine worker for base model ${config.engine.baseModelId}`);
      },
    },
  });
  await app.register(openaiRoutes, {
    service: new InferenceService({
      catalog,
      credit: ctx.credit,
      dispatcher,
      usage: ctx.usage,
      metrics,
      maxTokensLimit: config.maxTokensLimit,
      defaultMaxTokens: Math.min(256, config.maxTokensLimit),
      retrieval: config.attributionUrl ? new RetrievalClient(config.attributionUrl) : undefined,
    }),
  });
  await app.register(authRoutes);
  await app.register(creditRoutes);
  await app.register(adapterFileRoutes);
  await app.register(metricsRoutes);

  if (mirror && deps.startMirror) await mirror.start();
  app.addHook('onClose', async () => {
    await mirror?.stop();
    await dispatcher.close();
    await ctx.usage.close();
    redis.disconnect();
    provider?.destroy();
    await database.close();
  });
  return app;
}
