import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { corsPlugin, docsPlugin, healthPlugin, problemPlugin, serverOptions, type Database, type ReadinessCheck } from '@openledger/service-kit';
import type { AttributionConfig } from './config.js';
import { RewardsStore } from './rewards-store.js';
import { rewardRoutes } from './routes/rewards.js';
import { semanticRoutes } from './semantic/routes.js';
import type { SemanticService } from './semantic/semantic-service.js';

export interface AppDeps {
  db: Database;
  checks?: Record<string, ReadinessCheck>;
  settlementAddress?: string;
  /** Semantic retrieval; without it the retrieval route answers 404 "not configured". */
  semantic?: SemanticService;
}

/** The proof API: epochs, published leaf sets, an account's rewards, proofs and claim calldata. */
export async function buildApp(config: Pick<AttributionConfig, 'logLevel'> & Partial<Pick<AttributionConfig, 'corsOrigins'>>, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify(serverOptions({ logLevel: config.logLevel })).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(problemPlugin);
  await app.register(corsPlugin, { origins: config.corsOrigins ?? [] });
  await app.register(docsPlugin, { title: 'OpenLedger attribution worker', version: '0.1.0', description: 'Proof of Attribution rewards and proofs' });
  await app.register(healthPlugin, { checks: deps.checks ?? {} });
  await app.register(rewardRoutes, { db: deps.db, store: new RewardsStore(deps.db), settlementAddress: deps.settlementAddress });
  await app.register(semanticRoutes, { semantic: deps.semantic });
  return app as unknown as FastifyInstance;
}
