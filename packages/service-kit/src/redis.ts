import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection suitable for BullMQ (`maxRetriesPerRequest: null`) that keeps reconnecting
 * when the server goes away and comes back.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...options,
  });
}

export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`redis answered ${answer}`);
}
