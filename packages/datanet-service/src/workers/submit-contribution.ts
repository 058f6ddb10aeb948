import { Transaction, type TransactionReceipt } from 'ethers';
import { UnrecoverableError, type Processor } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { ChainContext } from '../chain.js';
import type { Db } from '../db/database.js';
import { batches, contributions } from '../db/schema.js';
import type { RelayJob } from '../relay/relay-queue.js';

export interface SubmitResult {
  contributionId: number;
  txHash: string;
}

/**
 * Submits a signed batch with `submitContributionFor`. State lives in the batch row, so a crash at any
 * point is resumed, never repeated: the signed transaction and its hash are stored before it is sent
 * (a retry rebroadcasts the same bytes), a known transaction is answered from its receipt, and the
 * contributor's on-chain nonce tells whether the signature was already used (the contract accepts each
 * signature once, so even a second send could not anchor the batch twice).
 */
export function createSubmitContributionProcessor(deps: { db: Db; chain: ChainContext; receiptTimeoutMs?: number }): Processor<RelayJob, SubmitResult> {
  const { db, chain } = deps;
  const registryIface = chain.registry.interface;

  async function markFailed(batchId: string, error: string): Promise<never> {
    await db.update(batches).set({ status: 'failed', error, updatedAt: new Date() }).where(eq(batches.id, batchId));
    throw new UnrecoverableError(error);
  }

  async function fromReceipt(batchId: string, receipt: TransactionReceipt): Promise<SubmitResult> {
    if (receipt.status !== 1) return markFailed(batchId, `transaction ${receipt.hash} reverted`);
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== chain.registryAddress.toLowerCase()) continue;
      const parsed = registryIface.parseLog(log);
      if (parsed?.name === 'ContributionSubmitted') {
        const contributionId = Number(parsed.args.contributionId as bigint);
        await db
          .update(batches)
          .set({ status: 'submitted', contributionId, txHash: receipt.hash, error: null, updatedAt: new Date() })
          .where(eq(batches.id, batchId));
        return { contributionId, txHash: receipt.hash };
      }
    }
    return markFailed(batchId, `transaction ${receipt.hash} emitted no ContributionSubmitted`);
  }

  return async (job) => {
    const [batch] = await db.select().from(batches).where(eq(batches.id, job.data.batchId));
    if (!batch) throw new UnrecoverableError(`batch ${job.data.batchId} does not exist`);
    if (batch.status === 'submitted' && batch.contributionId !== null) return { contributionId: batch.contributionId, txHash: batch.txHash ?? '' };
    if (!batch.signature || batch.signatureNonce === null || batch.deadline === null) throw new UnrecoverableError(`batch ${batch.id} is not signed`);
    const relayer = chain.relayer;
    if (!relayer) throw new UnrecoverableError('relaying is off (no RELAYER_PRIVATE_KEY)');

    // 1. a transaction we already signed: its receipt decides
    if (batch.txHash) {
      const receipt = await chain.provider.getTransactionReceipt(batch.txHash);
      if (receipt) return fromReceipt(batch.id, receipt);
    }
    // 2. the mirror may already hold the submission (sent by us before a crash, or by the contributor)
    const [mirrored] = await db
      .select({ id: contributions.id, tx: contributions.submittedTx })
      .from(contributions)
      .where(and(eq(contributions.batchRoot, batch.batchRoot), eq(contributions.contributor, batch.contributor), eq(contributions.datanetId, batch.datanetId)))
      .limit(1);
    if (mirrored) {
      await db
        .update(batches)
        .set({ status: 'submitted', contributionId: mirrored.id, txHash: mirrored.tx, updatedAt: new Date() })
        .where(eq(batches.id, batch.id));
      return { contributionId: mirrored.id, txHash: mirrored.tx };
    }
    // 3. the contributor's nonce moved past the signed one: the signature was spent elsewhere or is stale
    const onchainNonce = await chain.registry.nonces(batch.contributor);
    const signedNonce = BigInt(batch.signatureNonce);
    if (onchainNonce > signedNonce) {
      if (batch.txHash) throw new Error(`nonce ${signedNonce} is used; waiting for transaction ${batch.txHash} to be indexed`);
      return markFailed(batch.id, `the signature's nonce ${signedNonce} was used by another submission; sign the batch again`);
    }
    if (onchainNonce < signedNonce) return markFailed(batch.id, `the signature's nonce ${signedNonce} is ahead of the chain (${onchainNonce}); sign again`);
    const block = await chain.provider.getBlock('latest');
    if (block && BigInt(block.timestamp) > BigInt(batch.deadline)) return markFailed(batch.id, `the signature expired at ${batch.deadline}; sign the batch again`);

    // 4. an earlier signed transaction that never landed: send the same bytes again
    if (batch.rawTransaction) {
      const tx = Transaction.from(batch.rawTransaction);
      const relayerNonce = Number(await chain.provider.send('eth_getTransactionCount', [relayer.address, 'latest']));
      if (tx.nonce >= relayerNonce) {
        try {
          await chain.provider.broadcastTransaction(batch.rawTransaction);
        } catch (err) {
          if (!/already known|nonce too low|nonce has already been used/i.test((err as Error).message)) throw err;
        }
        const receipt = await chain.provider.waitForTransaction(tx.hash!, 1, deps.receiptTimeoutMs ?? 120_000);
        if (receipt) return fromReceipt(batch.id, receipt);
        throw new Error(`transaction ${tx.hash} not mined yet`);
      }
    }

    // 5. sign, persist, then send
    const registry = chain.registry.connect(relayer);
    const args = [batch.datanetId, batch.batchRoot, batch.recordCount, batch.uri, batch.contributor, batch.deadline, batch.signature] as const;
    let gasLimit: bigint;
    try {
      gasLimit = await registry.submitContributionFor.estimateGas(...args);
    } catch (err) {
      const revert = (err as { revert?: { name: string; args: unknown[] } }).revert;
      if (revert) return markFailed(batch.id, `submitContributionFor would revert with ${revert.name}(${revert.args.map(String).join(', ')})`);
      throw err;
    }
    // the relayer's nonce straight from the node (no provider cache: back-to-back jobs must not reuse one)
    const nonce = Number(await chain.provider.send('eth_getTransactionCount', [relayer.address, 'pending']));
    const request = await relayer.populateTransaction({
      ...(await registry.submitContributionFor.populateTransaction(...args)),
      gasLimit: (gasLimit * 12n) / 10n,
      nonce,
    });
    const raw = await relayer.signTransaction(request);
    const txHash = Transaction.from(raw).hash!;
    await db
      .update(batches)
      .set({ status: 'submitting', rawTransaction: raw, txHash, updatedAt: new Date() })
      .where(eq(batches.id, batch.id));
    await chain.provider.broadcastTransaction(raw);
    const receipt = await chain.provider.waitForTransaction(txHash, 1, deps.receiptTimeoutMs ?? 120_000);
    if (!receipt) throw new Error(`transaction ${txHash} not mined yet`);
    return fromReceipt(batch.id, receipt);
  };
}
