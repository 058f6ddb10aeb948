import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

/** A readiness check: resolves when the dependency answers, throws (or times out) otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  /** Per-check time limit in ms. */
  timeoutMs?: number;
}

const CheckResult = Type.Object({ ok: Type.Boolean(), ms: Type.Number(), error: Type.Optional(Type.String()) });
const ReadyBody = Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), CheckResult) });

async function runCheck(check: ReadinessCheck, timeoutMs: number) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` answers while the process runs; `/readyz` answers 200 only when every dependency does. */
export const healthPlugin = fp(
  async function healthPlugin(app: FastifyInstance, options: HealthOptions) {
    const timeoutMs = options.timeoutMs ?? 2_000;
    app.get(
      '/healthz',
      { schema: { hide: false, tags: ['health'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );
    app.get('/readyz', { schema: { tags: ['health'], response: { 200: ReadyBody, 503: ReadyBody } } }, async (_req, reply) => {
      const names = Object.keys(options.checks);
      const results = await Promise.all(names.map((n) => runCheck(options.checks[n]!, timeoutMs)));
      const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
      const ready = results.every((r) => r.ok);
      return reply.status(ready ? 200 : 503).send({ ready, checks });
    });
  },
  { name: 'health', fastify: '5.x' },
);
