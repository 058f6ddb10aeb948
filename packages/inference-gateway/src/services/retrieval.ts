import { HttpProblem } from '@openledger/service-kit';

/** Longest query sent to the attribution service (characters of the prompt's last user text). */
export const MAX_RETRIEVAL_QUERY_CHARS = 2000;
/** Longest record text put into the prompt as context. */
export const MAX_CONTEXT_RECORD_CHARS = 1000;
/** Most records one request may retrieve. */
export const MAX_RETRIEVAL_K = 10;

/** A record the attribution service retrieved (its `/v1/datanets/:id/retrieve` answer). */
export interface RetrievedRecord {
  contributionId: string;
  contributor: string;
  recordIndex: number;
  similarity: number;
  text: string;
}

/** A citation returned to the caller: [index] in the context block is this record. */
export interface Citation {
  index: number;
  contribution_id: string;
  contributor: string;
  record_index: number;
  similarity: number;
}

const isRecord = (r: unknown): r is RetrievedRecord => {
  const x = r as RetrievedRecord;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.contributionId === 'string' &&
    /^[0-9]{1,78}$/.test(x.contributionId) &&
    typeof x.contributor === 'string' &&
    /^0x[0-9a-fA-F]{40}$/.test(x.contributor) &&
    Number.isInteger(x.recordIndex) &&
    typeof x.similarity === 'number' &&
    typeof x.text === 'string'
  );
};

/**
 * Asks the attribution worker for the nearest accepted records of a datanet (semantic retrieval).
 * Every failure is a problem the caller can act on: 503 when the service or its embedding model is
 * unavailable, 502 when it answers something unexpected. Nothing is charged for such a request.
 */
export class RetrievalClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async retrieve(datanetId: string, query: string, k: number): Promise<RetrievedRecord[]> {
    const url = new URL(`/v1/datanets/${encodeURIComponent(datanetId)}/retrieve`, this.baseUrl);
    url.searchParams.set('q', query.slice(0, MAX_RETRIEVAL_QUERY_CHARS));
    url.searchParams.set('k', String(k));
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new HttpProblem(503, `the attribution service (${this.baseUrl}) did not answer the retrieval: ${(e as Error).message}`, { headers: { 'retry-after': '5' } });
    }
    const body = (await res.json().catch(() => undefined)) as { detail?: string; records?: unknown } | undefined;
    if (res.status === 404) {
      throw new HttpProblem(503, `retrieval is unavailable: ${body?.detail ?? 'the attribution service has no retrieval route'}`);
    }
    if (!res.ok || !Array.isArray(body?.records) || !body.records.every(isRecord)) {
      throw new HttpProblem(502, `the attribution service answered the retrieval with ${res.status} and no usable records`);
    }
    return (body.records as RetrievedRecord[]).slice(0, k);
  }
}

/** The context block put in front of the prompt: numbered records, so an answer can cite [n]. */
export function contextBlock(datanetId: string, records: readonly RetrievedRecord[]): string {
  const lines = records.map((r, i) => `[${i + 1}] ${r.text.slice(0, MAX_CONTEXT_RECORD_CHARS).replace(/\s+/g, ' ').trim()}`);
  return `Context retrieved from datanet ${datanetId} (cite as [n]):\n${lines.join('\n')}`;
}

export function citationsOf(records: readonly RetrievedRecord[]): Citation[] {
  return records.map((r, i) => ({
    index: i + 1,
    contribution_id: r.contributionId,
    contributor: r.contributor.toLowerCase(),
    record_index: r.recordIndex,
    similarity: r.similarity,
  }));
}
