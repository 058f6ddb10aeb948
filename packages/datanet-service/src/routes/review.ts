import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { and, asc, eq } from 'drizzle-orm';
import { badRequest, conflict, forbidden, notFound, problemResponses } from '@openledger/service-kit';
import { batches, contributions, curators } from '../db/schema.js';
import { Contribution, IdParam, Paging, RecordItem, UnsignedTransaction } from '../schemas/common.js';
import { readBatchRecords } from '../records.js';
import { getDatanetRow } from './datanets.js';

type ContributionRow = typeof contributions.$inferSelect;
const STATUS_NAMES = ['none', 'pending', 'accepted', 'rejected', 'revoked'];

export async function contributionView(app: FastifyInstance, c: ContributionRow) {
  const [batch] = await app.ctx.database.db.select({ id: batches.id }).from(batches).where(eq(batches.contributionId, c.id)).limit(1);
  return {
    id: String(c.id),
    datanetId: String(c.datanetId),
    contributor: c.contributor,
    batchRoot: c.batchRoot,
    recordCount: c.recordCount,
    uri: c.uri,
    status: c.status,
    weight: c.weight,
    reviewedBy: c.reviewedBy,
    reason: c.reason,
    batchId: batch?.id ?? null,
  };
}

export async function getContribution(app: FastifyInstance, id: number): Promise<ContributionRow> {
  const [c] = await app.ctx.database.db.select().from(contributions).where(eq(contributions.id, id));
  if (!c) throw notFound(`contribution ${id} is not known (not submitted, or not indexed yet)`);
  return c;
}

async function mirroredCurator(app: FastifyInstance, datanetId: number, account: string): Promise<boolean> {
  const [row] = await app.ctx.database.db.select().from(curators).where(and(eq(curators.datanetId, datanetId), eq(curators.account, account)));
  return Boolean(row);
}

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.get(
    '/datanets/:id/contributions',
    {
      schema: {
        tags: ['review'],
        summary: "A datanet's contributions (mirrored), filtered by status",
        params: IdParam,
        querystring: Type.Object({ status: Type.Optional(Type.Union(['pending', 'accepted', 'rejected', 'revoked'].map((s) => Type.Literal(s)))), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(Contribution) }), ...problemResponses(404) },
      },
    },
    async (request) => {
      const d = await getDatanetRow(app, Number((request.params as { id: string }).id));
      const { status, limit = 50, offset = 0 } = request.query as { status?: ContributionRow['status']; limit?: number; offset?: number };
      const rows = await ctx.database.db
        .select()
        .from(contributions)
        .where(status ? and(eq(contributions.datanetId, d.id), eq(contributions.status, status)) : eq(contributions.datanetId, d.id))
        .orderBy(asc(contributions.id))
        .limit(limit)
        .offset(offset);
      return { items: await Promise.all(rows.map((c) => contributionView(app, c))) };
    },
  );

  app.get(
    '/contributions/:id',
    { schema: { tags: ['review'], params: IdParam, response: { 200: Contribution, ...problemResponses(404) } } },
    async (request) => contributionView(app, await getContribution(app, Number((request.params as { id: string }).id))),
  );

  app.get(
    '/contributions/:id/records',
    {
      schema: {
        tags: ['review'],
        summary: "Curators (and the contributor) read a contribution's records",
        security: [{ bearer: [] }],
        params: IdParam,
        querystring: Type.Object(Paging),
        response: { 200: Type.Object({ items: Type.Array(RecordItem) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = await ctx.sessions.authenticate(request.headers.authorization);
      const c = await getContribution(app, Number((request.params as { id: string }).id));
      if (c.contributor !== session.address && !(await mirroredCurator(app, c.datanetId, session.address))) {
        throw forbidden(`only curators of datanet ${c.datanetId} (or the contributor) can read these records`);
      }
      const [batch] = await ctx.database.db.select({ id: batches.id }).from(batches).where(eq(batches.contributionId, c.id)).limit(1);
      if (!batch) throw notFound(`contribution ${c.id} anchors a batch that was not uploaded here (uri ${c.uri})`);
      const { limit = 50, offset = 0 } = request.query as { limit?: number; offset?: number };
      return { items: await readBatchRecords(ctx.database.db, ctx.store, batch.id, offset, limit) };
    },
  );

  app.post(
    '/contributions/:id/review',
    {
      schema: {
        tags: ['review'],
        summary: 'A curator accepts or rejects a pending contribution: returns the on-chain call to send',
        description: 'Checked live on chain: the caller must be a curator of the datanet, not the contributor, and the contribution pending. Status changes when the mirror sees the event.',
        security: [{ bearer: [] }],
        params: IdParam,
        body: Type.Object({
          decision: Type.Union([Type.Literal('accept'), Type.Literal('reject')]),
          weight: Type.Optional(Type.String({ pattern: '^[0-9]{1,29}$', description: 'uint96; 0 = the record count' })),
          malicious: Type.Optional(Type.Boolean()),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: Type.Object({ transaction: UnsignedTransaction }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const session = await ctx.sessions.authenticate(request.headers.authorization);
      const id = Number((request.params as { id: string }).id);
      const body = request.body as { decision: 'accept' | 'reject'; weight?: string; malicious?: boolean; reason?: string };
      const live = await ctx.chain.registry.contribution(id).catch(() => undefined);
      if (!live || live.contributor === '0x0000000000000000000000000000000000000000') throw notFound(`contribution ${id} does not exist on chain`);
      const datanetId = Number(live.datanetId);
      if (!(await ctx.chain.registry.isCurator(datanetId, session.address))) throw forbidden(`${session.address} is not a curator of datanet ${datanetId}`);
      if (live.contributor === session.address) throw forbidden('curators cannot review their own contributions');
      const status = STATUS_NAMES[Number(live.status)] ?? 'unknown';
      if (status !== 'pending') throw conflict(`contribution ${id} is ${status}, not pending`);
      const iface = ctx.chain.registry.interface;
      let data: string;
      if (body.decision === 'accept') {
        const weight = BigInt(body.weight ?? '0');
        if (weight >= 2n ** 96n) throw badRequest('weight must fit uint96');
        data = iface.encodeFunctionData('acceptContribution', [id, weight]);
      } else {
        if (!body.reason?.trim()) throw badRequest('reason: a rejection needs a reason');
        data = iface.encodeFunctionData('rejectContribution', [id, body.malicious ?? false, body.reason]);
      }
      // simulate as the curator: a call that would revert (e.g. the curator's own stake is below the minimum) is refused here
      try {
        await ctx.chain.provider.call({ to: ctx.chain.registryAddress, data, from: session.address });
      } catch (err) {
        const revertData = (err as { data?: string }).data;
        const parsed = revertData ? iface.parseError(revertData) : null;
        if (parsed) throw conflict(`${body.decision}Contribution would revert with ${parsed.name}(${parsed.args.map(String).join(', ')})`);
        throw err;
      }
      return {
        transaction: { to: ctx.chain.registryAddress, data, value: '0', chainId: ctx.chain.chain.chainId, description: `${body.decision}Contribution(${id})` },
      };
    },
  );
}
