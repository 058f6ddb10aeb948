import '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { eq, inArray } from 'drizzle-orm';
import { getAddress } from 'ethers';
import { contributeTypedData, recoverTypedDataSigner, typedDataToJson } from '@openledger/sdk';
import { HttpProblem, badRequest, conflict, forbidden, notFound, problemResponses, serviceUnavailable } from '@openledger/service-kit';
import { batches, batchBlobs, contributions, curators } from '../db/schema.js';
import { Batch, Paging, RecordItem, TypedDataJsonSchema, UnsignedTransaction, UuidParam } from '../schemas/common.js';
import { BatchIngestor } from '../upload/ingestor.js';
import { limitExceeded } from '../upload/problems.js';
import { openRecordWriter } from '../upload/record-writer.js';
import { SchemaError } from '../upload/schema-validator.js';
import { readBatchRecords } from '../records.js';
import { ensureRelayJob } from '../relay/relay-queue.js';
import { getDatanetRow } from './datanets.js';
import { and } from 'drizzle-orm';

export const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

/** A file name is kept only as a label; anything that looks like a path is refused. */
export function checkFileName(name: string | undefined): string {
  if (!name) throw badRequest('file part: filename is missing');
  if (name.length > 255) throw badRequest('file part: filename is longer than 255 characters');
  // eslint-disable-next-line no-control-regex
  if (/[/\\\x00-\x1f\x7f]/.test(name) || name === '.' || name === '..' || name.startsWith('..')) {
    throw badRequest(`file part: filename ${JSON.stringify(name)} contains a path separator, "..", or a control character`);
  }
  return name;
}

type BatchRow = typeof batches.$inferSelect;

async function batchView(app: FastifyInstance, row: BatchRow) {
  let contributionStatus: string | null = null;
  if (row.contributionId !== null) {
    const [c] = await app.ctx.database.db.select({ status: contributions.status }).from(contributions).where(eq(contributions.id, row.contributionId));
    contributionStatus = c?.status ?? null;
  }
  return {
    batchId: row.id,
    datanetId: String(row.datanetId),
    contributor: row.contributor,
    status: row.status,
    batchRoot: row.batchRoot,
    recordCount: row.recordCount,
    byteCount: row.byteCount,
    uri: row.uri,
    contributionId: row.contributionId === null ? null : String(row.contributionId),
    contributionStatus,
    txHash: row.txHash,
    error: row.error,
  };
}

async function getBatch(app: FastifyInstance, id: string): Promise<BatchRow> {
  const [row] = await app.ctx.database.db.select().from(batches).where(eq(batches.id, id));
  if (!row) throw notFound(`batch ${id} does not exist`);
  return row;
}

async function signingPayload(app: FastifyInstance, row: BatchRow, nonce?: bigint, deadline?: bigint) {
  const { chain, config } = app.ctx;
  const typed = contributeTypedData({
    chainId: chain.chain.chainId,
    registry: chain.registryAddress,
    message: {
      datanetId: BigInt(row.datanetId),
      batchRoot: row.batchRoot,
      recordCount: row.recordCount,
      uri: row.uri,
      contributor: row.contributor,
      nonce: nonce ?? (await chain.registry.nonces(row.contributor)),
      deadline: deadline ?? BigInt(Math.floor(Date.now() / 1000) + config.signatureTtlSeconds),
    },
  });
  const direct = chain.registry.interface.encodeFunctionData('submitContribution', [row.datanetId, row.batchRoot, row.recordCount, row.uri]);
  return {
    typed,
    typedData: typedDataToJson(typed),
    transaction: { to: chain.registryAddress, data: direct, value: '0', chainId: chain.chain.chainId, description: 'submitContribution (send it yourself instead of signing)' },
  };
}

function mapStreamError(err: unknown): unknown {
  if (err instanceof HttpProblem) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === 'FST_FILES_LIMIT') return new HttpProblem(413, 'the upload has more files than maxFiles allows', { extensions: { limit: 'maxFiles' } });
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return new HttpProblem(413, 'a file exceeds maxUploadBytes', { extensions: { limit: 'maxUploadBytes' } });
  if (e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT') return badRequest(`multipart body has too many parts (${e.message})`);
  if (e.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return badRequest('content-type must be multipart/form-data or application/x-ndjson');
  if (/Unexpected end of (form|multipart data)|Part terminated early|aborted|premature close/i.test(e.message ?? '') || e.code === 'ECONNRESET') {
    return badRequest(`the upload ended early (truncated body): ${e.message}`);
  }
  if (/Malformed part header|Multipart: Boundary not found/i.test(e.message ?? '')) return badRequest(`malformed multipart body: ${e.message}`);
  return err;
}

export async function batchRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const limits = ctx.config.limits;

  // JSON Lines bodies reach the handler as the raw stream (never buffered)
  app.addContentTypeParser(JSONL_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/datanets/:id/batches',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Upload records (JSON Lines body, or multipart files) as one batch',
        description:
          'Body: `application/x-ndjson` (one JSON record per line) or `multipart/form-data` (each `.jsonl` part adds its lines as records; any other file is one record). Records are validated against the datanet schema, hashed, stored content-addressed, and anchored by a Merkle root. Nothing is stored unless the whole upload succeeds.',
        security: [{ bearer: [] }],
        consumes: ['application/x-ndjson', 'multipart/form-data'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
        response: {
          201: Type.Intersect([Batch, Type.Object({ typedData: TypedDataJsonSchema, transaction: UnsignedTransaction })]),
          ...problemResponses(400, 401, 404, 409, 413, 415, 422),
        },
      },
    },
    async (request: FastifyRequest, reply) => {
      const session = await ctx.sessions.authenticate(request.headers.authorization);
      const datanet = await getDatanetRow(app, Number((request.params as { id: string }).id));
      let validator;
      if (datanet.recordSchema) {
        try {
          validator = ctx.validators.get(datanet.recordSchema);
        } catch (err) {
          if (err instanceof SchemaError) throw conflict(`datanet ${datanet.id} has an unusable record schema: ${err.message}`);
          throw err;
        }
      }
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > limits.maxUploadBytes) throw limitExceeded('maxUploadBytes', limits.maxUploadBytes, `upload size ${declared}`);
      const batchId = randomUUID();
      const started = performance.now();
      let ingestedAt = started;
      const writer = await openRecordWriter(ctx.database, batchId);
      const ingestor = new BatchIngestor({ hasher: ctx.hasher, store: ctx.store, writer, limits, validator });
      try {
        if (request.isMultipart()) {
          const parts = request.parts({
            preservePath: true, // see the name as sent, so path tricks are refused rather than silently stripped
            limits: { fileSize: limits.maxUploadBytes, files: limits.maxFiles, fields: 20, fieldSize: 4096, parts: limits.maxFiles + 20, headerPairs: 50 },
          });
          for await (const part of parts) {
            if (part.type !== 'file') continue; // fields carry nothing a batch needs
            const fileName = checkFileName(part.filename);
            const type = (part.mimetype || 'application/octet-stream').toLowerCase().split(';')[0]!.trim();
            if (JSONL_TYPES.includes(type) || /\.jsonl$|\.ndjson$/i.test(fileName)) await ingestor.addJsonl(part.file);
            else await ingestor.addFile(part.file, { contentType: type.replace(/[^\w.+/-]/g, ''), fileName });
            if (part.file.truncated) throw limitExceeded('maxUploadBytes', limits.maxUploadBytes, `file ${JSON.stringify(fileName)} size`);
          }
        } else if (JSONL_TYPES.includes((request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase())) {
          await ingestor.addJsonl(request.body as Readable);
        } else {
          throw new HttpProblem(415, 'content-type must be application/x-ndjson (JSON Lines) or multipart/form-data');
        }
        if ((request.raw as { aborted?: boolean }).aborted || request.raw.readableAborted) throw badRequest('the upload ended early (client aborted)');
        ingestedAt = performance.now();
        const result = ingestor.finish();
        await writer.commit({
          id: batchId,
          datanetId: datanet.id,
          contributor: session.address,
          status: 'ready',
          batchRoot: result.batchRoot,
          recordCount: result.recordCount,
          byteCount: result.byteCount,
          uri: `${ctx.config.publicUrl}/batches/${batchId}`,
          blobs: ingestor.blobs,
        });
      } catch (err) {
        try {
          await writer.abort();
          await ingestor.abort();
          await removeUnreferencedBlobs(app, ingestor.blobs.map((b) => b.blobHash));
        } catch (cleanupError) {
          request.log.error({ err: cleanupError, batchId }, 'cleanup after a failed upload failed');
        }
        throw mapStreamError(err);
      }
      request.log.info(
        { batchId, records: ingestor.records, ingestMs: Math.round(ingestedAt - started), rootAndCommitMs: Math.round(performance.now() - ingestedAt) },
        'batch stored',
      );
      const row = await getBatch(app, batchId);
      const payload = await signingPayload(app, row);
      return reply.status(201).send({ ...(await batchView(app, row)), typedData: payload.typedData, transaction: payload.transaction });
    },
  );

  app.get(
    '/batches/:id',
    { schema: { tags: ['uploads'], params: UuidParam, response: { 200: Batch, ...problemResponses(404) } } },
    async (request) => batchView(app, await getBatch(app, (request.params as { id: string }).id)),
  );

  app.get(
    '/batches/:id/typed-data',
    {
      schema: {
        tags: ['uploads'],
        summary: 'A fresh EIP-712 Contribute payload (current on-chain nonce) to sign for relaying',
        params: UuidParam,
        response: { 200: Type.Object({ typedData: TypedDataJsonSchema, transaction: UnsignedTransaction }), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { typedData, transaction } = await signingPayload(app, await getBatch(app, (request.params as { id: string }).id));
      return { typedData, transaction };
    },
  );

  app.post(
    '/batches/:id/signature',
    {
      schema: {
        tags: ['uploads'],
        summary: "Relay: submit the batch on chain with the contributor's EIP-712 signature",
        params: UuidParam,
        body: Type.Object({
          signature: Type.String({ pattern: '^0x[0-9a-fA-F]{130}$' }),
          nonce: Type.String({ pattern: '^[0-9]{1,78}$' }),
          deadline: Type.String({ pattern: '^[0-9]{1,20}$' }),
        }),
        response: { 202: Batch, ...problemResponses(400, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const row = await getBatch(app, (request.params as { id: string }).id);
      const body = request.body as { signature: string; nonce: string; deadline: string };
      if (!ctx.chain.relayer) throw serviceUnavailable('relaying is off on this service (no RELAYER_PRIVATE_KEY); send the returned transaction yourself');
      if (row.status === 'submitting' || row.status === 'submitted') throw conflict(`batch ${row.id} is already ${row.status}`);
      const nonce = BigInt(body.nonce);
      const deadline = BigInt(body.deadline);
      if (deadline < BigInt(Math.floor(Date.now() / 1000) + 60)) throw badRequest('deadline: the signature expires in less than a minute; sign a fresh payload');
      const { typed } = await signingPayload(app, row, nonce, deadline);
      let signer: string;
      try {
        signer = recoverTypedDataSigner(typed, body.signature);
      } catch (err) {
        throw badRequest(`signature: malformed (${(err as Error).message})`);
      }
      if (getAddress(signer) !== getAddress(row.contributor)) {
        throw badRequest(`signature: recovers to ${signer}, not to the batch's contributor ${row.contributor}`);
      }
      const onchain = await ctx.chain.registry.nonces(row.contributor);
      if (onchain !== nonce) throw conflict(`nonce: the contributor's on-chain nonce is ${onchain}, the signature is for ${nonce}; fetch /batches/${row.id}/typed-data and sign again`);
      const updated = await ctx.database.db
        .update(batches)
        .set({ status: 'signed', signature: body.signature, signatureNonce: body.nonce, deadline: Number(deadline), error: null, updatedAt: new Date() })
        .where(and(eq(batches.id, row.id), inArray(batches.status, ['ready', 'signed', 'failed'])))
        .returning();
      if (updated.length === 0) throw conflict(`batch ${row.id} changed state; fetch it again`);
      await ensureRelayJob(ctx.relayQueue, row.id);
      return reply.status(202).send(await batchView(app, updated[0]!));
    },
  );

  app.get(
    '/batches/:id/records',
    {
      schema: {
        tags: ['uploads'],
        summary: "Read a batch's records (its contributor or a curator of its datanet)",
        security: [{ bearer: [] }],
        params: UuidParam,
        querystring: Type.Object(Paging),
        response: { 200: Type.Object({ items: Type.Array(RecordItem) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const session = await ctx.sessions.authenticate(request.headers.authorization);
      const row = await getBatch(app, (request.params as { id: string }).id);
      if (row.contributor !== session.address) {
        const [isCurator] = await ctx.database.db
          .select()
          .from(curators)
          .where(and(eq(curators.datanetId, row.datanetId), eq(curators.account, session.address)));
        if (!isCurator) throw forbidden('only the contributor or a curator of the datanet can read these records');
      }
      const { limit = 50, offset = 0 } = request.query as { limit?: number; offset?: number };
      return { items: await readBatchRecords(ctx.database.db, ctx.store, row.id, offset, limit) };
    },
  );
}

/** After a failed upload: blobs it wrote that no stored batch references are deleted. */
async function removeUnreferencedBlobs(app: FastifyInstance, hashes: string[]): Promise<void> {
  if (hashes.length === 0) return;
  const referenced = new Set(
    (await app.ctx.database.db.select({ h: batchBlobs.blobHash }).from(batchBlobs).where(inArray(batchBlobs.blobHash, hashes))).map((r) => r.h),
  );
  for (const h of hashes) if (!referenced.has(h)) await app.ctx.store.delete(h);
}
