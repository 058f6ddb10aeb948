import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ProblemSchema } from './schemas.js';

export interface DocsOptions {
  title: string;
  version: string;
  description?: string;
}

/** OpenAPI document at `/docs/json` and Swagger UI at `/docs`, built from the route schemas. */
export const docsPlugin = fp(
  async function docsPlugin(app: FastifyInstance, options: DocsOptions) {
    app.addSchema(ProblemSchema);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: options.title, version: options.version, description: options.description },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'docs', fastify: '5.x' },
);
