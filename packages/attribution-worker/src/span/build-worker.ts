import { parentPort } from 'node:worker_threads';
import { unpack, type PackedInput } from './build-pool.js';
import { buildSegmentData } from './segment.js';

parentPort!.on('message', (input: PackedInput) => {
  try {
    const data = buildSegmentData(unpack(input));
    parentPort!.postMessage({ ok: true, data }, [
      data.tokens.buffer,
      data.sa.buffer,
      data.vocab.buffer,
      data.counts.buffer,
      data.contributionStarts.buffer,
      ...(data.filter ? [data.filter.buffer] : []),
    ] as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
