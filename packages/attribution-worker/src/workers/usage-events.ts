import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { UsageEventJob } from '@openledger/service-kit';
import { InvalidJobError, type Attributor } from '../attributor.js';

/** QUEUES.usageEvents: score one inference against its adapter's datanets and store it for the next epoch. */
export function usageEventsProcessor(attributor: Attributor): Processor<UsageEventJob> {
  return async (job: Job<UsageEventJob>) => {
    try {
      const attribution = await attributor.scoreUsage(job.data);
      return attribution ? { method: attribution.method, spans: attribution.spans.length, contributions: attribution.scores.length } : { duplicate: true };
    } catch (error) {
      if (error instanceof InvalidJobError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
