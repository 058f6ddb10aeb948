import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { schema: { tags: ['health'], summary: 'Prometheus metrics', response: { 200: Type.String() } } }, async (_req, reply) => {
    return reply.header('content-type', 'text/plain; version=0.0.4').send(await app.ctx.metrics.render());
  });
}
