import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { and, asc, eq, gt } from 'drizzle-orm';
import { notFound, problemResponses } from '@openledger/service-kit';
import { batches, contributions } from '../db/schema.js';
import { IdParam } from '../schemas/common.js';
import { readBatchRecords } from '../records.js';
import { getDatanetRow } from './datanets.js';
import { getContribution } from './review.js';

const PAGE = 2000;

/** JSONL lines `{contributionId, contributor, index, record}` of accepted contributions, page by page (never all in memory). */
async function* exportLines(app: FastifyInstance, targets: () => AsyncGenerator<{ id: number; contributor: string }>) {
  const { db } = app.ctx.database;
  for await (const c of targets()) {
    const [batch] = await db.select({ id: batches.id }).from(batches).where(eq(batches.contributionId, c.id)).limit(1);
    if (!batch) continue; // anchored elsewhere: no records here
    for (let offset = 0; ; offset += PAGE) {
      const records = await readBatchRecords(db, app.ctx.store, batch.id, offset, PAGE);
      if (records.length === 0) break;
      let chunk = '';
      for (const r of records) chunk += `${JSON.stringify({ contributionId: String(c.id), contributor: c.contributor, index: r.index, recordHash: r.recordHash, record: r.record })}\n`;
      yield chunk;
      if (records.length < PAGE) break;
    }
  }
}

export async function exportRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.database;
  const JsonlResponse = Type.String({ description: 'JSON Lines: {contributionId, contributor, index, recordHash, record}' });

  app.get(
    '/datanets/:id/export.jsonl',
    { schema: { tags: ['export'], summary: 'Accepted records of a datanet as JSONL', params: IdParam, produces: ['application/x-ndjson'], response: { 200: JsonlResponse, ...problemResponses(404) } } },
    async (request, reply) => {
      const d = await getDatanetRow(app, Number((request.params as { id: string }).id));
      async function* targets() {
        let after = 0;
        for (;;) {
          const page = await db
            .select({ id: contributions.id, contributor: contributions.contributor })
            .from(contributions)
            .where(and(eq(contributions.datanetId, d.id), eq(contributions.status, 'accepted'), gt(contributions.id, after)))
            .orderBy(asc(contributions.id))
            .limit(100);
          yield* page;
          if (page.length < 100) return;
          after = page.at(-1)!.id;
        }
      }
      return reply.type('application/x-ndjson').send(Readable.from(exportLines(app, targets)));
    },
  );

  app.get(
    '/contributions/:id/export.jsonl',
    { schema: { tags: ['export'], summary: 'Records of one accepted contribution as JSONL', params: IdParam, produces: ['application/x-ndjson'], response: { 200: JsonlResponse, ...problemResponses(404) } } },
    async (request, reply) => {
      const c = await getContribution(app, Number((request.params as { id: string }).id));
      if (c.status !== 'accepted') throw notFound(`contribution ${c.id} is ${c.status}; only accepted records are exported`);
      async function* targets() {
        yield { id: c.id, contributor: c.contributor };
      }
      return reply.type('application/x-ndjson').send(Readable.from(exportLines(app, targets)));
    },
  );
}
