import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { generateSiweNonce, parseSiweMessage, SiweError, verifySiweMessage } from '@openledger/sdk';
import { HttpProblem, notFound, unauthorized } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { apiKeys, siweNonces } from '../db/schema.js';

export interface Caller {
  keyId: string;
  address: `0x${string}`;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY_PREFIX = 'olk_';
const CACHE_MS = 10_000;

/**
 * API keys created by signing in with a wallet (EIP-4361 via the sdk): single-use nonces, the key shown
 * once, only its sha256 stored. Authenticated keys are cached for a few seconds (revocation through this
 * instance is immediate; other replicas see it within the cache time).
 */
export class ApiKeyService {
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(private readonly db: Db, private readonly settings: { domain: string; chainId: number }) {}

  async issueNonce(): Promise<{ nonce: string; domain: string; chainId: number; expiresAt: Date }> {
    const nonce = generateSiweNonce();
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    await this.db.insert(siweNonces).values({ nonce, expiresAt });
    await this.db.delete(siweNonces).where(lt(siweNonces.expiresAt, new Date(Date.now() - 3_600_000)));
    return { nonce, domain: this.settings.domain, chainId: this.settings.chainId, expiresAt };
  }

  async createKey(message: string, signature: string, label: string): Promise<{ id: string; key: string; address: string }> {
    let nonce: string;
    try {
      nonce = parseSiweMessage(message).nonce;
    } catch (e) {
      throw new HttpProblem(400, (e as Error).message);
    }
    let address: string;
    try {
      address = verifySiweMessage({ message, signature, domain: this.settings.domain, nonce, chainId: this.settings.chainId }).address;
    } catch (e) {
      if (e instanceof SiweError) throw new HttpProblem(e.reason === 'malformed' ? 400 : 401, e.message, { extensions: { reason: e.reason } });
      throw e;
    }
    const consumed = await this.db
      .update(siweNonces)
      .set({ usedAt: new Date() })
      .where(and(eq(siweNonces.nonce, nonce), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, new Date())))
      .returning({ nonce: siweNonces.nonce });
    if (consumed.length === 0) throw unauthorized('SIWE nonce is unknown, expired or already used; get a new one from POST /v1/auth/nonce');
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    await this.db.insert(apiKeys).values({ id, keyHash: hashApiKey(key), address, label });
    return { id, key, address };
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer (olk_[A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
    if (!match) throw unauthorized('missing or malformed Authorization header: expected "Bearer olk_…" (create a key with POST /v1/auth/keys)');
    const hash = hashApiKey(match[1]!);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.caller;
    const [row] = await this.db
      .select({ id: apiKeys.id, address: apiKeys.address })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!row) {
      this.cache.delete(hash);
      throw unauthorized('unknown or revoked API key');
    }
    const caller = { keyId: row.id, address: row.address as `0x${string}` };
    this.cache.set(hash, { caller, until: Date.now() + CACHE_MS });
    return caller;
  }

  async list(address: string) {
    return this.db
      .select({ id: apiKeys.id, label: apiKeys.label, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.address, address));
  }

  async revoke(address: string, id: string): Promise<void> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.address, address), isNull(apiKeys.revokedAt)))
      .returning({ hash: apiKeys.keyHash });
    if (rows.length === 0) throw notFound(`no active API key ${id} for ${address}`);
    for (const r of rows) this.cache.delete(r.hash);
  }
}
