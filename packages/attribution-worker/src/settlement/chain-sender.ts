import { eq } from 'drizzle-orm';
import { Transaction, type JsonRpcProvider, type TransactionReceipt, type TransactionRequest, type Wallet } from 'ethers';
import type { Database } from '@openledger/service-kit';
import { chainSends } from '../db/schema.js';

/**
 * Sends each keyed transaction at most once. The signed transaction is stored in Postgres before it
 * is broadcast; a restarted worker re-broadcasts exactly those bytes (same nonce, same hash), so a
 * crash between signing, sending and mining can never produce a second transaction for the key.
 * Returns the receipt, or null when the stored transaction was dropped (its nonce was used by another
 * transaction): the caller re-checks the chain and decides again.
 */
export class ChainSender {
  constructor(
    private readonly db: Database,
    private readonly provider: JsonRpcProvider,
    private readonly confirmations: number,
    private readonly receiptTimeoutMs = 120_000,
  ) {}

  async hasPending(key: string): Promise<boolean> {
    const rows = await this.db.select({ key: chainSends.key }).from(chainSends).where(eq(chainSends.key, key));
    return rows.length > 0;
  }

  /** Re-sends the stored transaction of `key` if there is one; resolves its receipt (or null if dropped / none). */
  async resume(key: string): Promise<TransactionReceipt | null> {
    const [row] = await this.db.select().from(chainSends).where(eq(chainSends.key, key));
    if (!row) return null;
    await this.broadcast(row.rawTx);
    const receipt = await this.waitFor(row.txHash, row.sender, row.nonce);
    if (!receipt) await this.db.delete(chainSends).where(eq(chainSends.key, key));
    return receipt;
  }

  /** Signs, stores, then broadcasts a new transaction for `key`, and waits for its receipt. */
  async send(key: string, wallet: Wallet, request: TransactionRequest, beforeBroadcast?: () => void): Promise<TransactionReceipt | null> {
    const populated = await wallet.populateTransaction({ ...request, nonce: await this.provider.getTransactionCount(wallet.address, 'pending') });
    const rawTx = await wallet.signTransaction(populated);
    const tx = Transaction.from(rawTx);
    await this.db.insert(chainSends).values({ key, sender: wallet.address, nonce: Number(tx.nonce), rawTx, txHash: tx.hash! });
    beforeBroadcast?.();
    await this.broadcast(rawTx);
    const receipt = await this.waitFor(tx.hash!, wallet.address, Number(tx.nonce));
    if (!receipt) await this.db.delete(chainSends).where(eq(chainSends.key, key));
    return receipt;
  }

  private async broadcast(rawTx: string): Promise<void> {
    try {
      await this.provider.broadcastTransaction(rawTx);
    } catch (error) {
      // Already mined or already in the pool: the wait below finds out which.
      const message = error instanceof Error ? error.message : String(error);
      if (!/nonce|already known|known transaction|replacement/i.test(message)) throw error;
    }
  }

  /** Asks the node itself (ethers caches identical requests for a moment, which could hide a fresh receipt). */
  private async receipt(hash: string): Promise<TransactionReceipt | null> {
    const raw = await this.provider.send('eth_getTransactionReceipt', [hash]);
    if (!raw) return null;
    for (;;) {
      const receipt = await this.provider.getTransactionReceipt(hash);
      if (receipt) return receipt;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async waitFor(hash: string, sender: string, nonce: number): Promise<TransactionReceipt | null> {
    const deadline = Date.now() + this.receiptTimeoutMs;
    for (;;) {
      const receipt = await this.receipt(hash);
      if (receipt) {
        if (this.confirmations > 1) await this.provider.waitForTransaction(hash, this.confirmations, this.receiptTimeoutMs);
        return receipt;
      }
      const mined = Number(await this.provider.send('eth_getTransactionCount', [sender, 'latest']));
      if (mined > nonce) {
        // The nonce is used; if not by our hash, ours was dropped.
        return this.receipt(hash);
      }
      if (Date.now() > deadline) throw new Error(`transaction ${hash} not mined within ${this.receiptTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
