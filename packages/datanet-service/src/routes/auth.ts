import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AddressString, problemResponses } from '@openledger/service-kit';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/auth/nonce',
    {
      schema: {
        tags: ['auth'],
        summary: 'Issue a single-use SIWE nonce',
        response: { 200: Type.Object({ nonce: Type.String(), expiresAt: Type.String(), domain: Type.String(), chainId: Type.Integer() }) },
      },
    },
    async () => {
      const issued = await app.ctx.sessions.issueNonce();
      return { ...issued, expiresAt: issued.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a signed EIP-4361 message for a session token',
        body: Type.Object({ message: Type.String({ maxLength: 16384 }), signature: Type.String({ pattern: '^0x[0-9a-fA-F]{130}$' }) }),
        response: { 200: Type.Object({ token: Type.String(), address: AddressString, expiresAt: Type.String() }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { message, signature } = request.body as { message: string; signature: string };
      const session = await app.ctx.sessions.signIn(message, signature);
      return { ...session, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 204: Type.Null() } } },
    async (request, reply) => {
      await app.ctx.sessions.signOut(request.headers.authorization);
      return reply.status(204).send();
    },
  );
}
