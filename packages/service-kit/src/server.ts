import { randomUUID } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';

export interface ServerOptionsConfig {
  logLevel?: string;
  /** Largest accepted body for JSON routes, in bytes. */
  bodyLimit?: number;
  logger?: boolean;
}

/**
 * Fastify options shared by every service: request ids taken from `x-request-id` (or generated) and
 * echoed in logs, a bounded JSON body, and no stack traces in responses.
 */
export function serverOptions(config: ServerOptionsConfig = {}): FastifyServerOptions {
  return {
    logger: config.logger === false ? false : { level: config.logLevel ?? 'info' },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimit ?? 1024 * 1024,
  };
}

export interface Closeable {
  close(): Promise<unknown> | unknown;
}

/**
 * Closes everything in order on SIGINT/SIGTERM (the HTTP server first, so no new work arrives, then
 * workers, queues and connections), then exits. A second signal exits at once.
 */
export function closeOnSignals(closeables: Closeable[], log: (msg: string) => void = console.error): void {
  let closing = false;
  const handler = async (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal} received, closing`);
    for (const c of closeables) {
      try {
        await c.close();
      } catch (err) {
        log(`error while closing: ${(err as Error).message}`);
      }
    }
    process.exit(0);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
