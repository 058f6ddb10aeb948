import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpProblem, type ProblemDetails } from './problem.js';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Driver error codes that mean a dependency (Postgres, Redis, RPC) is unreachable, not that the request is bad. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
]);

/** Walks the `cause` chain (drizzle and ethers wrap driver errors) looking for an unreachable dependency. */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /Connection terminated|Connection is closed|connection timeout/i.test(e.message)) return true;
  }
  return false;
}

/** Maps Fastify's own error codes to statuses and a readable detail. */
function fromFastifyError(error: FastifyError): HttpProblem | undefined {
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const first = error.validation[0];
    const path = first ? `${where}${first.instancePath || ''}` : where;
    const detail = first ? `${path} ${first.message ?? 'is invalid'}` : error.message;
    return new HttpProblem(400, detail, { extensions: { errors: error.validation.map((v) => ({ path: `${where}${v.instancePath}`, message: v.message })) } });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, `request body exceeds the limit of this route`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(415, error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpProblem(400, error.message);
    default:
      break;
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpProblem(error.statusCode, error.message);
  }
  return undefined;
}

export interface ProblemPluginOptions {
  /**
   * Extra members added to every problem body (an API that must also speak another error format, such as
   * OpenAI's `{ error: { message, type, code } }`, adds it here; RFC 9457 allows extension members).
   */
  decorate?: (problem: ProblemDetails) => Record<string, unknown>;
}

/**
 * Renders every error as problem+json. Client errors carry their own detail; anything unexpected is
 * logged with the request id and answered with a generic 500, never a stack trace.
 */
export const problemPlugin = fp(
  async function problemPlugin(app: FastifyInstance, options: ProblemPluginOptions) {
    const render = (body: ProblemDetails): ProblemDetails => (options.decorate ? { ...body, ...options.decorate(body) } : body);
    app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
      const problem = error instanceof HttpProblem ? error : fromFastifyError(error as FastifyError);
      if (!problem && isDependencyUnavailable(error)) {
        request.log.error({ err: error }, 'dependency unavailable');
        const body: ProblemDetails = {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: `a backing service (database, queue or chain node) is unreachable; retry shortly (request id ${request.id})`,
        };
        return reply.status(503).header('retry-after', '2').type(PROBLEM_TYPE).send(render(body));
      }
      if (!problem) {
        request.log.error({ err: error }, 'unhandled error');
        const body: ProblemDetails = {
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: `unexpected error; quote request id ${request.id} when reporting it`,
        };
        return reply.status(500).type(PROBLEM_TYPE).send(render(body));
      }
      if (problem.status >= 500) request.log.error({ err: error }, problem.message);
      return reply.status(problem.status).headers(problem.headers).type(PROBLEM_TYPE).send(render(problem.toJSON()));
    });
    app.setNotFoundHandler((request, reply) => {
      const body: ProblemDetails = {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
      };
      return reply.status(404).type(PROBLEM_TYPE).send(render(body));
    });
  },
  { name: 'problem', fastify: '5.x' },
);
