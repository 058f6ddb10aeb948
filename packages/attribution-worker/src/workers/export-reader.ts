import { batchRoot, recordHash } from '@openledger/sdk';
import type { ContributionAcceptedJob } from '@openledger/service-kit';

export class ExportError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface ExportedRecords {
  records: unknown[];
  /** Records whose re-serialized JSON hashes to their recordHash (the rest are checked through the batch root only). */
  byteVerified: number;
}

/**
 * Reads one contribution's accepted records (datanet-service JSONL export: one
 * `{contributionId, contributor, index, recordHash, record}` per line), bounded in size, and checks
 * them against the on-chain batch: contiguous indexes, the record count, and the batch Merkle root
 * of the record hashes (sdk `batchRoot`). Anything else is refused before it reaches the index.
 */
export async function readContributionExport(job: ContributionAcceptedJob, maxBytes: number, timeoutMs = 60_000): Promise<ExportedRecords> {
  let url: URL;
  try {
    url = new URL(job.exportUrl);
  } catch {
    throw new ExportError(`exportUrl "${job.exportUrl}" is not a URL`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ExportError(`exportUrl must be http(s), got ${url.protocol}`, true);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ExportError(`fetching ${url}: ${(error as Error).message}`, false);
  }
  if (response.status === 404 || response.status === 410) throw new ExportError(`${url} answered ${response.status}`, true);
  if (!response.ok || !response.body) throw new ExportError(`${url} answered ${response.status}`, false);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ExportError(`export of contribution ${job.contributionId} exceeds ${maxBytes} bytes`, true);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const records: unknown[] = [];
  const hashes: string[] = [];
  let byteVerified = 0;
  for (const [n, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: { contributionId?: unknown; index?: unknown; recordHash?: unknown; record?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      throw new ExportError(`export line ${n + 1} is not JSON`, true);
    }
    if (String(row.contributionId) !== job.contributionId) throw new ExportError(`export line ${n + 1} belongs to contribution ${String(row.contributionId)}`, true);
    if (row.index !== records.length) throw new ExportError(`export line ${n + 1}: index ${String(row.index)}, expected ${records.length}`, true);
    if (typeof row.recordHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(row.recordHash)) throw new ExportError(`export line ${n + 1}: recordHash is not bytes32`, true);
    if (typeof row.record === 'object' && row.record !== null && recordHash(JSON.stringify(row.record)) === row.recordHash.toLowerCase()) byteVerified++;
    hashes.push(row.recordHash.toLowerCase());
    records.push(row.record);
  }
  if (records.length !== job.recordCount) throw new ExportError(`export holds ${records.length} records, the contribution ${job.recordCount}`, true);
  if (records.length > 0 && batchRoot(hashes).toLowerCase() !== job.batchRoot.toLowerCase()) {
    throw new ExportError(`export of contribution ${job.contributionId} does not match its batch root ${job.batchRoot}`, true);
  }
  return { records, byteVerified };
}
