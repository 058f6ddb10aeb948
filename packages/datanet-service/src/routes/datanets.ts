import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { getAddress, isAddress } from 'ethers';
import { AddressString, WeiString, badRequest, forbidden, notFound, problemResponses } from '@openledger/service-kit';
import { curators, datanets, stakes } from '../db/schema.js';
import { Datanet, IdParam, Paging, UnsignedTransaction } from '../schemas/common.js';
import { SchemaError } from '../upload/schema-validator.js';

type DatanetRow = typeof datanets.$inferSelect;

export async function loadDatanets(app: FastifyInstance, rows: DatanetRow[]) {
  const ids = rows.map((r) => r.id);
  const curatorRows = ids.length
    ? await app.ctx.database.db.select().from(curators).where(inArray(curators.datanetId, ids)).orderBy(asc(curators.account))
    : [];
  return rows.map((r) => ({
    id: String(r.id),
    owner: r.owner,
    name: r.name,
    metadataUri: r.metadataUri,
    minStake: r.minStake,
    totalStaked: r.totalStaked,
    contributionCount: r.contributionCount,
    acceptedCount: r.acceptedCount,
    curators: curatorRows.filter((c) => c.datanetId === r.id).map((c) => c.account),
    metadata: (r.metadata as Record<string, unknown> | null) ?? null,
    recordSchema: (r.recordSchema as Record<string, unknown> | null) ?? null,
  }));
}

export async function getDatanetRow(app: FastifyInstance, id: number): Promise<DatanetRow> {
  const [row] = await app.ctx.database.db.select().from(datanets).where(eq(datanets.id, id));
  if (!row) throw notFound(`datanet ${id} is not known (not created on chain, or not indexed yet)`);
  return row;
}

export async function datanetRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.get(
    '/chain',
    {
      schema: {
        tags: ['datanets'],
        summary: 'Chain id and contract addresses this service mirrors',
        response: { 200: Type.Object({ chainId: Type.Integer(), datanetRegistry: AddressString, openToken: AddressString, relayer: Type.Union([AddressString, Type.Null()]) }) },
      },
    },
    async () => ({
      chainId: ctx.chain.chain.chainId,
      datanetRegistry: ctx.chain.registryAddress,
      openToken: ctx.chain.tokenAddress,
      relayer: ctx.chain.relayer?.address ?? null,
    }),
  );

  app.get(
    '/datanets',
    {
      schema: {
        tags: ['datanets'],
        summary: 'List or search datanets (mirrored from chain)',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(Datanet), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const { q, limit = 50, offset = 0 } = request.query as { q?: string; limit?: number; offset?: number };
      const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      const where = pattern ? or(ilike(datanets.name, pattern), sql`${datanets.metadata}->>'description' ilike ${pattern}`) : undefined;
      const rows = await ctx.database.db.select().from(datanets).where(where).orderBy(asc(datanets.id)).limit(limit).offset(offset);
      const [{ total }] = (await ctx.database.db.select({ total: sql<number>`count(*)::int` }).from(datanets).where(where)) as [{ total: number }];
      return { items: await loadDatanets(app, rows), total };
    },
  );

  app.get(
    '/datanets/:id',
    { schema: { tags: ['datanets'], params: IdParam, response: { 200: Datanet, ...problemResponses(404) } } },
    async (request) => {
      const row = await getDatanetRow(app, Number((request.params as { id: string }).id));
      return (await loadDatanets(app, [row]))[0]!;
    },
  );

  app.get(
    '/datanets/:id/stakes/:account',
    {
      schema: {
        tags: ['datanets'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }), account: AddressString }),
        response: { 200: Type.Object({ amount: WeiString, pendingUnstake: WeiString, unlockAt: Type.Integer(), minStake: WeiString }), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { id, account } = request.params as { id: string; account: string };
      const d = await getDatanetRow(app, Number(id));
      const [s] = await ctx.database.db
        .select()
        .from(stakes)
        .where(and(eq(stakes.datanetId, d.id), eq(stakes.account, getAddress(account))));
      return { amount: s?.amount ?? '0', pendingUnstake: s?.pendingUnstake ?? '0', unlockAt: s?.unlockAt ?? 0, minStake: d.minStake };
    },
  );

  app.post(
    '/datanets',
    {
      schema: {
        tags: ['datanets'],
        summary: 'Store the metadata document and return the createDatanet transaction to sign',
        security: [{ bearer: [] }],
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          description: Type.Optional(Type.String({ maxLength: 4000 })),
          schema: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          minStake: WeiString,
          curators: Type.Array(AddressString, { maxItems: 50 }),
        }),
        response: { 200: Type.Object({ metadataUri: Type.String(), transaction: UnsignedTransaction }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      await ctx.sessions.authenticate(request.headers.authorization);
      const body = request.body as { name: string; description?: string; schema?: Record<string, unknown>; minStake: string; curators: string[] };
      if (BigInt(body.minStake) >= 2n ** 96n) throw badRequest('minStake must fit uint96');
      if (body.schema) {
        try {
          ctx.validators.assertValid(body.schema);
        } catch (err) {
          if (err instanceof SchemaError) throw badRequest(`schema: ${err.message}`);
          throw err;
        }
      }
      const metadata = { name: body.name, description: body.description ?? '', schema: body.schema ?? null };
      const bytes = Buffer.from(JSON.stringify(metadata));
      const hash = await ctx.store.put(bytes);
      if (hash !== createHash('sha256').update(bytes).digest('hex')) throw new Error('blob store returned a wrong hash');
      const metadataUri = `${ctx.config.publicUrl}/metadata/${hash}`;
      const data = ctx.chain.registry.interface.encodeFunctionData('createDatanet', [body.name, metadataUri, BigInt(body.minStake), body.curators.map((c) => getAddress(c))]);
      return {
        metadataUri,
        transaction: { to: ctx.chain.registryAddress, data, value: '0', chainId: ctx.chain.chain.chainId, description: `createDatanet(${JSON.stringify(body.name)})` },
      };
    },
  );

  app.post(
    '/datanets/:id/curators',
    {
      schema: {
        tags: ['datanets'],
        summary: 'Owner: return the setCurator transaction (checked live against the on-chain owner)',
        security: [{ bearer: [] }],
        params: IdParam,
        body: Type.Object({ curator: AddressString, enabled: Type.Boolean() }),
        response: { 200: Type.Object({ transaction: UnsignedTransaction }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = await ctx.sessions.authenticate(request.headers.authorization);
      const id = Number((request.params as { id: string }).id);
      const { curator, enabled } = request.body as { curator: string; enabled: boolean };
      await getDatanetRow(app, id);
      const live = await ctx.chain.registry.datanet(id);
      if (live.owner !== session.address) throw forbidden(`only the datanet owner ${live.owner} can change curators`);
      if (!isAddress(curator)) throw badRequest('curator: not an address');
      const data = ctx.chain.registry.interface.encodeFunctionData('setCurator', [id, getAddress(curator), enabled]);
      return { transaction: { to: ctx.chain.registryAddress, data, value: '0', chainId: ctx.chain.chain.chainId, description: `setCurator(${id}, ${curator}, ${enabled})` } };
    },
  );

  app.get(
    '/metadata/:hash',
    {
      schema: {
        tags: ['datanets'],
        summary: 'A datanet metadata document stored by this service (content-addressed)',
        params: Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { hash } = request.params as { hash: string };
      if (!(await ctx.store.has(hash))) throw notFound(`no metadata ${hash}`);
      const bytes = await ctx.store.read(hash);
      if (bytes.length > 256 * 1024) throw notFound(`blob ${hash} is not a metadata document`);
      return reply.type('application/json').send(bytes);
    },
  );
}
