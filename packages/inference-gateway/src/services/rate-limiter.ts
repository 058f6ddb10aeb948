import type { Redis } from 'ioredis';
import { HttpProblem } from '@openledger/service-kit';

const WINDOW_MS = 60_000;

/** INCRBY the window's counter by the lease size and (re)arm its expiry: one round trip. Returns the new count. */
const LEASE_SCRIPT = `local n = redis.call('incrby', KEYS[1], ARGV[1])
redis.call('pexpire', KEYS[1], ARGV[2])
return n`;

/**
 * Fixed one-minute windows per API key, counted in Redis (shared by every gateway replica). A replica
 * takes requests from the shared counter in small leases (`leaseSize`, default 1/20 of the limit) and
 * spends them locally, so most requests need no Redis round trip. The shared count never exceeds the
 * limit, whatever the number of replicas: a lease is only granted out of what is left in the window.
 * The price: with several replicas, up to `leaseSize − 1` requests per replica and window may stay
 * leased but unused (a key can be refused slightly early, never admitted beyond its limit).
 */
export class RateLimiter {
  private readonly leases = new Map<string, { window: number; left: number }>();
  private readonly leaseSize: number;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly perMinute: number, leaseSize?: number) {
    this.leaseSize = Math.max(1, Math.min(perMinute, leaseSize ?? Math.min(1_000, Math.ceil(perMinute / 20))));
  }

  async check(keyId: string): Promise<void> {
    const window = Math.floor(Date.now() / WINDOW_MS);
    const lease = this.leases.get(keyId);
    if (lease && lease.window === window && lease.left > 0) {
      lease.left--;
      return;
    }
    const key = `${this.prefix}:ratelimit:${keyId}:${window}`;
    const count = Number(await this.redis.eval(LEASE_SCRIPT, 1, key, String(this.leaseSize), String(WINDOW_MS)));
    const granted = Math.max(0, Math.min(this.leaseSize, this.perMinute - (count - this.leaseSize)));
    if (granted === 0) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - Date.now()) / 1000));
      throw new HttpProblem(429, `rate limit of ${this.perMinute} requests per minute exceeded for this API key`, {
        headers: { 'retry-after': String(retryAfter) },
        extensions: { reason: 'rate-limit', limit: this.perMinute },
      });
    }
    // this request takes one; the rest is spent locally (added to what concurrent leases of the window left)
    const current = this.leases.get(keyId);
    if (current && current.window === window) current.left += granted - 1;
    else this.leases.set(keyId, { window, left: granted - 1 });
    if (this.leases.size > 10_000) for (const [k, l] of this.leases) if (l.window !== window) this.leases.delete(k);
  }
}
