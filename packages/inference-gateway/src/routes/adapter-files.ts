import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound, problemResponses } from '@openledger/service-kit';

export async function adapterFileRoutes(app: FastifyInstance): Promise<void> {
  // adapter uploads are raw bytes, streamed to disk (never buffered whole)
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.post(
    '/v1/adapters/files',
    {
      bodyLimit: app.ctx.config.maxUploadBytes,
      schema: {
        tags: ['adapters'],
        summary: 'Upload a LoRA adapter GGUF (application/octet-stream); register its sha256 and uri on chain afterwards',
        security: [{ bearer: [] }],
        response: { 201: Type.Object({ sha256: Type.String(), fileHash: Type.String(), bytes: Type.Integer(), uri: Type.String() }), 200: Type.Object({ sha256: Type.String(), fileHash: Type.String(), bytes: Type.Integer(), uri: Type.String() }), ...problemResponses(401, 413, 415) },
      },
    },
    async (request, reply) => {
      const caller = await app.ctx.keys.authenticate(request.headers.authorization);
      const saved = await app.ctx.files.save(request.body as Readable, caller.address);
      return reply.status(saved.created ? 201 : 200).send({
        sha256: saved.sha256,
        fileHash: `0x${saved.sha256}`,
        bytes: saved.bytes,
        uri: `${app.ctx.config.publicUrl}/v1/adapters/files/${saved.sha256}`,
      });
    },
  );

  app.get(
    '/v1/adapters/files/:sha256',
    { schema: { tags: ['adapters'], summary: 'Download an uploaded adapter file by its sha256', params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }), response: problemResponses(404) } },
    async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      const file = await app.ctx.files.open(sha256);
      if (!file) throw notFound(`no adapter file ${sha256}`);
      return reply.header('content-type', 'application/octet-stream').header('content-length', String(file.bytes)).send(file.stream);
    },
  );
}
