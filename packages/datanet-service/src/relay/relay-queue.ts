import type { Queue } from 'bullmq';

/** The relayer's own queue (service-internal): one job per batch to submit on chain. */
export const RELAY_QUEUE = 'datanet-relay';

export interface RelayJob {
  batchId: string;
}

/** Deterministic per batch: signing twice, or a restart, never makes two live jobs. */
export const relayJobId = (batchId: string) => `submit-${batchId}`;

/**
 * Makes sure a live job exists for the batch. A finished job with the same id (an earlier attempt
 * that a reorg undid, or one that gave up) is removed first so the batch is tried again; the
 * processor itself checks the chain before sending, so an extra run never duplicates a submission.
 */
export async function ensureRelayJob(queue: Queue, batchId: string): Promise<void> {
  const id = relayJobId(batchId);
  const existing = await queue.getJob(id);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return;
    await existing.remove();
  }
  await queue.add('submit', { batchId } satisfies RelayJob, {
    jobId: id,
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}
