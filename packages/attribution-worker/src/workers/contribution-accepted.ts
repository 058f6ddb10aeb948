import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { ContributionAcceptedJob } from '@openledger/service-kit';
import { InvalidJobError, type Attributor } from '../attributor.js';
import type { SemanticService } from '../semantic/semantic-service.js';
import { ExportError, readContributionExport } from './export-reader.js';

/** QUEUES.contributionAccepted: fetch the contribution's records, verify them against its batch root, index them. */
export function contributionAcceptedProcessor(attributor: Attributor, maxExportBytes: number, semantic?: SemanticService): Processor<ContributionAcceptedJob> {
  return async (job: Job<ContributionAcceptedJob>) => {
    try {
      const semanticDone = !semantic || (await semantic.store(job.data.datanetId)).has(job.data.contributionId);
      if (attributor.index(job.data.datanetId).has(job.data.contributionId) && semanticDone) return { indexed: false };
      const { records, byteVerified } = await readContributionExport(job.data, maxExportBytes);
      await attributor.indexContribution(job.data, records);
      await semantic?.indexContribution(job.data, records);
      return { indexed: true, records: records.length, byteVerified };
    } catch (error) {
      if (error instanceof InvalidJobError || (error instanceof ExportError && error.permanent)) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
