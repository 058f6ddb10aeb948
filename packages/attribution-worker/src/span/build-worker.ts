import { parentPort } from 'node:worker_threads';
import { buildSegmentData, type ContributionTokens } from './segment.js';

parentPort!.on('message', (input: ContributionTokens[]) => {
  try {
    const data = buildSegmentData(input);
    parentPort!.postMessage({ ok: true, data }, [
      data.tokens.buffer,
      data.sa.buffer,
      data.vocab.buffer,
      data.counts.buffer,
      data.contributionStarts.buffer,
    ] as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
