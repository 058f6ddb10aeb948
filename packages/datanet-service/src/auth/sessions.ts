import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { generateSiweNonce, SiweError, verifySiweMessage, parseSiweMessage } from '@openledger/sdk';
import { HttpProblem, unauthorized } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { sessions, siweNonces } from '../db/schema.js';

export interface SessionSettings {
  domain: string;
  chainId: number;
  nonceTtlSeconds: number;
  sessionTtlSeconds: number;
}

export interface Session {
  address: string;
  expiresAt: Date;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sign-In with Ethereum: the server issues single-use nonces (stored with an expiry), checks the
 * signed EIP-4361 message (domain, chain id, expiry, signature — via the sdk), consumes the nonce
 * atomically and hands out an opaque bearer token of which only the SHA-256 is stored.
 */
export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly settings: SessionSettings,
  ) {}

  async issueNonce(): Promise<{ nonce: string; expiresAt: Date; domain: string; chainId: number }> {
    const nonce = generateSiweNonce();
    const expiresAt = new Date(Date.now() + this.settings.nonceTtlSeconds * 1000);
    await this.db.insert(siweNonces).values({ nonce, expiresAt });
    // housekeeping: expired nonces are worthless
    await this.db.delete(siweNonces).where(lt(siweNonces.expiresAt, new Date(Date.now() - 3600_000)));
    return { nonce, expiresAt, domain: this.settings.domain, chainId: this.settings.chainId };
  }

  async signIn(message: string, signature: string): Promise<{ token: string; address: string; expiresAt: Date }> {
    let nonce: string;
    try {
      nonce = parseSiweMessage(message).nonce;
    } catch (err) {
      throw new HttpProblem(400, (err as Error).message);
    }
    let address: string;
    try {
      address = verifySiweMessage({ message, signature, domain: this.settings.domain, nonce, chainId: this.settings.chainId }).address;
    } catch (err) {
      if (err instanceof SiweError) throw new HttpProblem(err.reason === 'malformed' ? 400 : 401, err.message, { extensions: { reason: err.reason } });
      throw err;
    }
    // consume the nonce: exactly one sign-in wins, an unknown, used or expired nonce loses
    const consumed = await this.db
      .update(siweNonces)
      .set({ usedAt: new Date() })
      .where(and(eq(siweNonces.nonce, nonce), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, new Date())))
      .returning({ nonce: siweNonces.nonce });
    if (consumed.length === 0) {
      throw new HttpProblem(401, 'SIWE nonce is unknown, expired or already used; ask for a new one at POST /auth/nonce', {
        extensions: { reason: 'nonce-invalid' },
      });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionTtlSeconds * 1000);
    await this.db.insert(sessions).values({ tokenHash: hashToken(token), address, expiresAt });
    return { token, address, expiresAt };
  }

  async authenticate(authorization: string | undefined): Promise<Session> {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
    if (!match) throw unauthorized('missing or malformed Authorization header: expected "Bearer <session token>" from POST /auth/verify');
    const [row] = await this.db
      .select({ address: sessions.address, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, hashToken(match[1]!)), gt(sessions.expiresAt, new Date())))
      .limit(1);
    if (!row) throw unauthorized('session token is unknown or expired; sign in again');
    return row;
  }

  async signOut(authorization: string | undefined): Promise<void> {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (match) await this.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(match[1]!)));
    await this.db.delete(sessions).where(sql`${sessions.expiresAt} < now()`);
  }
}
