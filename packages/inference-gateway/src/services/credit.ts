import { getAddress } from 'ethers';
import { eq, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { HttpProblem, paymentRequired } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { payerFees } from '../db/schema.js';
import type { AuthorizationCache } from './authorizations.js';

/** On-chain FeeEscrow reads the credit check needs. */
export interface EscrowReader {
  balanceOf(payer: string): Promise<bigint>;
  spent(payer: string, operator: string): Promise<bigint>;
}

export interface CreditState {
  payer: string;
  balanceWei: bigint;
  spentWei: bigint;
  recordedWei: bigint;
  unsettledWei: bigint;
  reservedWei: bigint;
  capWei: bigint;
  expiry: number;
  /** Room left under the signed cap, and in the deposit, before reservations. */
  byCapWei: bigint;
  byBalanceWei: bigint;
  availableWei: bigint;
}

/**
 * Credit before work: a request runs only if the caller's signed SpendingAuthorization (stored here) and
 * FeeEscrow deposit both cover its worst-case fee on top of what is already owed:
 *   available = min(cap − max(spent, recorded), balance − unsettled) − reserved
 * where `recorded` is every fee this gateway metered for the payer, `unsettled = recorded − spent` (metered
 * but not yet collected on chain) and `reserved` the worst case of requests still running (Redis, shared
 * by replicas). The reservation is released when the request ends; only the exact fee is recorded.
 */
export class CreditService {
  private readonly chainCache = new Map<string, { balance: bigint; spent: bigint; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly authorizations: AuthorizationCache,
    private readonly escrow: EscrowReader | null,
    private readonly operator: string,
    private readonly prefix: string,
    private readonly chainCacheMs = 2_000,
  ) {}

  private reservedKey(payer: string) {
    return `${this.prefix}:credit:reserved:${payer.toLowerCase()}`;
  }

  private async chain(payer: string): Promise<{ balance: bigint; spent: bigint }> {
    if (!this.escrow) throw new HttpProblem(503, 'credit checks need the chain (RPC_URL) and no chain is configured');
    const hit = this.chainCache.get(payer);
    if (hit && hit.until > Date.now()) return hit;
    const [balance, spent] = await Promise.all([this.escrow.balanceOf(payer), this.escrow.spent(payer, this.operator)]);
    const entry = { balance, spent, until: Date.now() + this.chainCacheMs };
    this.chainCache.set(payer, entry);
    return entry;
  }

  /** The payer's credit; `reservedWei` when the caller already knows the reserved total (reserve() does). */
  async state(payerRaw: string, reservedWei?: bigint): Promise<CreditState> {
    const payer = getAddress(payerRaw);
    // independent reads, in parallel: authorization, fees metered by every replica (exact, from the table), chain, reservations
    const [auth, [{ recorded } = { recorded: '0' }], { balance, spent }, reserved] = await Promise.all([
      this.authorizations.get(payer),
      // one row, kept by a trigger in the usage row's own transaction (not a sum over the payer's history)
      this.db.select({ recorded: sql<string>`${payerFees.recordedWei}::text` }).from(payerFees).where(eq(payerFees.payer, payer)),
      this.chain(payer),
      reservedWei ?? this.redis.get(this.reservedKey(payer)).then((v) => BigInt(v ?? '0')),
    ]);
    const recordedWei = BigInt(recorded);
    const unsettled = recordedWei > spent ? recordedWei - spent : 0n;
    const cap = auth && auth.expiry > Date.now() / 1000 ? BigInt(auth.capWei) : 0n;
    const used = recordedWei > spent ? recordedWei : spent;
    const byCap = cap - used;
    const byBalance = balance - unsettled;
    const available = (byCap < byBalance ? byCap : byBalance) - reserved;
    return { payer, balanceWei: balance, spentWei: spent, recordedWei, unsettledWei: unsettled, reservedWei: reserved, capWei: cap, expiry: auth?.expiry ?? 0, byCapWei: byCap, byBalanceWei: byBalance, availableWei: available };
  }

  /** Reserves the worst-case fee or throws 402 naming what is missing. Returns the release function. */
  async reserve(payer: string, worstCaseWei: bigint): Promise<() => Promise<void>> {
    if (worstCaseWei === 0n) return async () => {};
    const key = this.reservedKey(payer);
    // increment and read the new total (this request included) in one round trip; GET answers a string,
    // exact beyond 2^53 where INCRBY's integer reply is not
    const res = await this.redis.pipeline().incrby(key, worstCaseWei.toString()).get(key).exec();
    const failed = res?.find(([e]) => e)?.[0];
    if (failed) throw failed;
    const reservedNow = BigInt((res?.[1]?.[1] as string | null) ?? worstCaseWei.toString());
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await this.redis.decrby(key, worstCaseWei.toString());
    };
    try {
      const s = await this.state(payer, reservedNow);
      if (s.availableWei < 0n) {
        const reason = s.capWei === 0n ? 'no valid SpendingAuthorization (POST /v1/credit/authorization)' : s.byCapWei < s.byBalanceWei ? 'spending authorization cap exhausted' : 'FeeEscrow deposit too low';
        throw paymentRequired(`insufficient credit for this request: needs up to ${worstCaseWei} wei, ${reason}`, {
          reason: 'insufficient-credit',
          neededWei: worstCaseWei.toString(),
          availableWei: (s.availableWei + worstCaseWei).toString(),
          capWei: s.capWei.toString(),
          balanceWei: s.balanceWei.toString(),
          unsettledWei: s.unsettledWei.toString(),
        });
      }
    } catch (e) {
      await release();
      throw e;
    }
    return release;
  }
}
