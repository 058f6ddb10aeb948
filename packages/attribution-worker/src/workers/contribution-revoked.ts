import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { ContributionRevokedJob } from '@openledger/service-kit';
import { InvalidJobError, type Attributor } from '../attributor.js';
import type { SemanticService } from '../semantic/semantic-service.js';

/** QUEUES.contributionRevoked: drop the contribution from its datanet's index (rebuilt without it). */
export function contributionRevokedProcessor(attributor: Attributor, semantic?: SemanticService): Processor<ContributionRevokedJob> {
  return async (job: Job<ContributionRevokedJob>) => {
    try {
      await attributor.revokeContribution(job.data);
      await semantic?.revokeContribution(job.data);
      return { revoked: true };
    } catch (error) {
      if (error instanceof InvalidJobError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
