import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.js';
import { forbidden } from './problem.js';

export interface CorsOptions {
  /**
   * Origins a browser may call from (the dashboard's), exactly as the browser sends them
   * (`https://app.example.org`, `http://127.0.0.1:5173`), or `*` for any. Empty: no CORS headers,
   * so browsers on other origins are refused (server-to-server clients are unaffected).
   */
  origins: readonly string[];
  /** Request headers a browser may send beyond the CORS-safelisted ones. */
  allowHeaders?: readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. */
  maxAgeSeconds?: number;
}

const DEFAULT_HEADERS = ['authorization', 'content-type', 'x-request-id', 'x-api-key', 'idempotency-key'];
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
/** Response headers a browser script may read (rate limits, problem ids). */
const EXPOSED = 'retry-after, x-request-id, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, location';

/**
 * Parses a comma-separated origin list (the services' `CORS_ORIGINS`): each entry is `*` or a
 * scheme://host[:port] origin without a path; anything else names the variable in a ConfigError.
 */
export function parseCorsOrigins(raw: string | undefined, variable = 'CORS_ORIGINS'): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') return origin;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(variable, `"${origin}" is not an origin (scheme://host[:port])`);
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new ConfigError(variable, `"${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
    return origin;
  });
}

/**
 * Cross-origin access for browsers (the governance dashboard calls the services from its own origin).
 * Allowed origins get `Access-Control-Allow-Origin` on every answer, errors included; preflight
 * `OPTIONS` requests are answered 204 with the allowed methods and headers, or 403 problem+json for
 * an origin that is not allowed. No credentials (cookies) are involved: API keys travel in headers.
 */
export const corsPlugin = fp(
  async function corsPlugin(app: FastifyInstance, options: CorsOptions) {
    const any = options.origins.includes('*');
    const allowed = new Set(options.origins);
    const allowHeaders = (options.allowHeaders ?? DEFAULT_HEADERS).join(', ');
    const maxAge = String(options.maxAgeSeconds ?? 600);
    const isAllowed = (origin: string): boolean => any || allowed.has(origin);

    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin === undefined || !isAllowed(origin)) return;
      reply.header('access-control-allow-origin', any ? '*' : origin);
      if (!any) reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', EXPOSED);
    });

    app.route({
      method: 'OPTIONS',
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        const origin = request.headers.origin;
        if (origin === undefined || request.headers['access-control-request-method'] === undefined) {
          return reply.code(204).header('allow', `${METHODS}, OPTIONS`).send();
        }
        if (!isAllowed(origin)) {
          throw forbidden(`browsers on ${origin} may not call this service (its CORS_ORIGINS does not list that origin)`);
        }
        return reply
          .code(204)
          .header('access-control-allow-methods', METHODS)
          .header('access-control-allow-headers', allowHeaders)
          .header('access-control-max-age', maxAge)
          .send();
      },
    });
  },
  { name: 'openledger-cors' },
);
