import { buildSiweMessage } from '@openledger/sdk';
import type { Wallet } from 'ethers';
import { CliError } from './errors.js';

/** Calls the datanet service; a problem+json answer becomes a CliError carrying its detail. */
export class ServiceClient {
  private token: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.authHeader(), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliError('--service-url', `cannot reach ${this.baseUrl} (${(err as Error).cause ?? (err as Error).message})`, 1);
    }
    return ServiceClient.parse<T>(res, `${method} ${path}`);
  }

  static async parse<T>(res: { status: number; text(): Promise<string> }, what: string): Promise<T> {
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 400) {
      const problem = json as { detail?: string; title?: string } | undefined;
      throw new CliError(undefined, `${what} failed (${res.status}): ${problem?.detail ?? problem?.title ?? text.slice(0, 300)}`, 1);
    }
    return json as T;
  }

  authHeader(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Sign-In with Ethereum: nonce from the service, message signed by the key, session token back. */
  async signIn(wallet: Wallet): Promise<void> {
    const { nonce, domain, chainId } = await this.request<{ nonce: string; domain: string; chainId: number }>('POST', '/auth/nonce');
    const message = buildSiweMessage({
      domain,
      address: wallet.address,
      statement: 'Sign in to the OpenLedger datanet service (openledger CLI)',
      uri: this.baseUrl,
      version: '1',
      chainId,
      nonce,
      issuedAt: new Date().toISOString(),
      expirationTime: new Date(Date.now() + 10 * 60_000).toISOString(),
    });
    const { token } = await this.request<{ token: string }>('POST', '/auth/verify', { message, signature: await wallet.signMessage(message) });
    this.token = token;
  }
}
