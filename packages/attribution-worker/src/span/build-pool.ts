import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSegmentData, type ContributionTokens, type SegmentData } from './segment.js';

/**
 * Builds segments (vocabulary + suffix array) on worker threads so index builds run in parallel and
 * never block the event loop that answers attribution queries. `threads: 0` builds in-process.
 */
export class BuildPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];

  constructor(readonly threads: number) {
    const here = import.meta.url;
    const isTs = here.endsWith('.ts');
    const url = new URL(isTs ? './build-worker.ts' : './build-worker.js', here);
    for (let i = 0; i < threads; i++) {
      // From TypeScript sources (tests, benches) the worker registers tsx before loading its module.
      const worker = isTs
        ? new Worker(
            `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
            { eval: true },
          )
        : new Worker(url);
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  async build(input: ContributionTokens[]): Promise<SegmentData> {
    if (this.threads === 0) return buildSegmentData(input);
    const worker = this.idle.pop() ?? (await new Promise<Worker>((r) => this.waiting.push(r)));
    try {
      return await new Promise<SegmentData>((resolve, reject) => {
        const onMessage = (msg: { ok: true; data: SegmentData } | { ok: false; error: string }): void => {
          worker.off('error', onError);
          if (msg.ok) resolve(msg.data);
          else reject(new Error(msg.error));
        };
        const onError = (error: Error): void => {
          worker.off('message', onMessage);
          reject(error);
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        const packed = pack(input);
        worker.postMessage(packed, [packed.tokens.buffer as ArrayBuffer]);
      });
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Records of a build job in one fresh buffer (a subarray would clone its whole parent buffer). */
export interface PackedInput {
  meta: Array<Omit<ContributionTokens, 'records'> & { recordLengths: number[] }>;
  tokens: Uint32Array;
}

export function pack(input: ContributionTokens[]): PackedInput {
  let n = 0;
  for (const c of input) for (const r of c.records) n += r.length;
  const tokens = new Uint32Array(n);
  let at = 0;
  const meta = input.map(({ records, ...rest }) => {
    for (const r of records) {
      tokens.set(r, at);
      at += r.length;
    }
    return { ...rest, recordLengths: records.map((r) => r.length) };
  });
  return { meta, tokens };
}

export function unpack({ meta, tokens }: PackedInput): ContributionTokens[] {
  let at = 0;
  return meta.map(({ recordLengths, ...rest }) => ({
    ...rest,
    records: recordLengths.map((len) => {
      const r = tokens.subarray(at, at + len);
      at += len;
      return r;
    }),
  }));
}

function tsxApi(): string {
  return pathToFileURL(createRequire(`${process.cwd()}/`).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
}
