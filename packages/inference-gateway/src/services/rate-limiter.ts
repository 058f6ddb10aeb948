import type { Redis } from 'ioredis';
import { HttpProblem } from '@openledger/service-kit';

/** Fixed one-minute windows per API key in Redis (shared by every gateway replica): INCR + PEXPIRE in one round trip. */
export class RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly perMinute: number) {}

  async check(keyId: string): Promise<void> {
    const windowMs = 60_000;
    const window = Math.floor(Date.now() / windowMs);
    const key = `${this.prefix}:ratelimit:${keyId}:${window}`;
    const res = await this.redis.multi().incr(key).pexpire(key, windowMs).exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    if (count > this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - Date.now()) / 1000));
      throw new HttpProblem(429, `rate limit of ${this.perMinute} requests per minute exceeded for this API key`, {
        headers: { 'retry-after': String(retryAfter) },
        extensions: { reason: 'rate-limit', limit: this.perMinute },
      });
    }
  }
}
