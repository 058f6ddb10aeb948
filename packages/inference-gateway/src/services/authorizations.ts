import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { spendingAuthorizations } from '../db/schema.js';

export type StoredAuthorization = typeof spendingAuthorizations.$inferSelect;

/**
 * Latest stored SpendingAuthorization per payer, cached for `ttlMs`: the credit check reads it before a
 * request and the usage recorder after it, from this one cache. The credit route calls {@link forget} when
 * it stores a new one, so this replica sees it at once, others within the TTL. The route only ever replaces
 * an authorization by one with a larger cap or a later expiry, and expiry is checked at use.
 */
export class AuthorizationCache {
  private readonly entries = new Map<string, { row: StoredAuthorization | undefined; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5_000,
  ) {}

  forget(payer: string): void {
    this.entries.delete(payer);
  }

  async get(payer: string): Promise<StoredAuthorization | undefined> {
    const hit = this.entries.get(payer);
    if (hit && hit.until > Date.now()) return hit.row;
    const [row] = await this.db.select().from(spendingAuthorizations).where(eq(spendingAuthorizations.payer, payer)).limit(1);
    this.entries.set(payer, { row, until: Date.now() + this.ttlMs });
    return row;
  }
}
