import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AddressString, problemResponses } from '@openledger/service-kit';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/v1/auth/nonce',
    {
      schema: {
        tags: ['auth'],
        summary: 'Issue a single-use nonce for a Sign-In with Ethereum message',
        response: { 200: Type.Object({ nonce: Type.String(), domain: Type.String(), chainId: Type.Integer(), expiresAt: Type.String() }) },
      },
    },
    async () => {
      const n = await app.ctx.keys.issueNonce();
      return { ...n, expiresAt: n.expiresAt.toISOString() };
    },
  );

  app.post(
    '/v1/auth/keys',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API key by signing in with a wallet (EIP-4361); the key is shown once',
        body: Type.Object({ message: Type.String({ maxLength: 16384 }), signature: Type.String({ pattern: '^0x[0-9a-fA-F]{130}$' }), label: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 201: Type.Object({ id: Type.String(), key: Type.String(), address: AddressString }), ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { message, signature, label } = request.body as { message: string; signature: string; label?: string };
      const created = await app.ctx.keys.createKey(message, signature, label ?? '');
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/auth/keys',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 200: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) })), ...problemResponses(401) },
      },
    },
    async (request) => {
      const caller = await app.ctx.keys.authenticate(request.headers.authorization);
      const rows = await app.ctx.keys.list(caller.address);
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }));
    },
  );

  app.delete(
    '/v1/auth/keys/:id',
    { schema: { tags: ['auth'], security: [{ bearer: [] }], params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...problemResponses(401, 404) } } },
    async (request, reply) => {
      const caller = await app.ctx.keys.authenticate(request.headers.authorization);
      await app.ctx.keys.revoke(caller.address, (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
