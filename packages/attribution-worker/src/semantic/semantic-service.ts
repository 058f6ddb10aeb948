import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContributionAcceptedJob, ContributionRevokedJob } from '@openledger/service-kit';
import { recordText } from '../attributor.js';
import { loadEmbedder, type Embedder, type EmbedderOptions } from './embedder.js';
import { retrievalScores, semanticScores, type SemanticParams, type SemanticScore } from './semantic-attribution.js';
import { VectorStore, type Neighbour } from './vector-store.js';

const ID = /^[0-9A-Za-z_-]{1,128}$/;

export class SemanticInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SemanticInputError';
  }
}

export interface SemanticOptions {
  /** Directory holding one VectorStore folder per datanet (`${DATA_DIR}/semantic`). */
  dir: string;
  params: SemanticParams;
}

export interface SemanticConfig extends SemanticOptions, EmbedderOptions {
  modelDir: string;
}

/**
 * Semantic attribution and retrieval over every datanet: embeddings of accepted records (one
 * VectorStore per datanet), nearest records to a text, integer scores for an inference output and
 * retrieval with contribution ids for citation. Writes to one datanet are serialized.
 */
export class SemanticService {
  private readonly stores = new Map<string, Promise<VectorStore>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly embedder: Embedder, private readonly options: SemanticOptions) {}

  static async open(config: SemanticConfig): Promise<SemanticService> {
    return new SemanticService(await loadEmbedder(config.modelDir, config), config);
  }

  get params(): SemanticParams {
    return this.options.params;
  }

  /** A datanet's store; contributions embedded with another model are embedded again on open. */
  store(datanetId: string): Promise<VectorStore> {
    if (!ID.test(datanetId)) return Promise.reject(new SemanticInputError('datanetId', `"${datanetId}" is not a datanet id`));
    let store = this.stores.get(datanetId);
    if (!store) {
      store = this.serial(datanetId, async () => {
        const s = VectorStore.open(join(this.options.dir, datanetId), this.embedder.dim, this.embedder.fingerprint);
        for (const c of s.stale.splice(0)) s.add({ ...c, vectors: await this.embedder.embed(c.texts) });
        return s;
      });
      this.stores.set(datanetId, store);
      store.catch(() => this.stores.delete(datanetId));
    }
    return store;
  }

  /** A datanet's store for reading: a datanet with nothing indexed has none (and a query creates nothing). */
  private async existing(datanetId: string): Promise<VectorStore | undefined> {
    if (!ID.test(datanetId)) throw new SemanticInputError('datanetId', `"${datanetId}" is not a datanet id`);
    if (!this.stores.has(datanetId) && !existsSync(join(this.options.dir, datanetId))) return undefined;
    return this.store(datanetId);
  }

  private serial<T>(datanetId: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(datanetId) ?? Promise.resolve()).then(fn, fn);
    this.queues.set(datanetId, run.catch(() => undefined));
    return run;
  }

  /** Embeds and stores an accepted contribution's records (idempotent; never after its revocation). */
  async indexContribution(job: ContributionAcceptedJob, records: readonly unknown[]): Promise<boolean> {
    if (!ID.test(job.contributionId)) throw new SemanticInputError('contributionId', 'is not an id');
    const store = await this.store(job.datanetId);
    return this.serial(job.datanetId, async () => {
      if (store.has(job.contributionId) || store.isRevoked(job.contributionId)) return false;
      const texts = records.map((r) => recordText(r));
      const vectors = await this.embedder.embed(texts);
      store.add({ contributionId: job.contributionId, contributor: job.contributor.toLowerCase(), weight: job.weight, texts, vectors });
      return true;
    });
  }

  /** Drops a revoked contribution: it is never retrieved nor scored again, even if accepted later. */
  async revokeContribution(job: Pick<ContributionRevokedJob, 'datanetId' | 'contributionId'>): Promise<void> {
    if (!ID.test(job.contributionId)) throw new SemanticInputError('contributionId', 'is not an id');
    const store = await this.store(job.datanetId);
    await this.serial(job.datanetId, async () => store.revoke(job.contributionId));
  }

  /** The k records of the datanets nearest to `text`, best first (ties: contribution id, record index). */
  async nearest(datanetIds: readonly string[], text: string, k: number, minSimilarity = -Infinity): Promise<Neighbour[]> {
    const [query] = await this.embedder.embed([text]);
    const all: Neighbour[] = [];
    for (const id of [...new Set(datanetIds)].sort()) all.push(...((await this.existing(id))?.nearest(query!, k, minSimilarity) ?? []));
    return all.sort((a, b) => b.similarity - a.similarity || (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : a.recordIndex - b.recordIndex)).slice(0, k);
  }

  /** Semantic attribution scores of an inference output over its adapter's datanets. */
  async attribute(datanetIds: readonly string[], outputText: string): Promise<SemanticScore[]> {
    const { topK, minSimilarityPpm } = this.options.params;
    return semanticScores(await this.nearest(datanetIds, outputText, topK, minSimilarityPpm / 1_000_000 - 1e-6), this.options.params);
  }

  /** Per-retrieval scores of a usage event's retrievedContributionIds (revoked or unknown ones earn nothing). */
  async retrievalScores(datanetIds: readonly string[], retrieved: readonly string[]): Promise<SemanticScore[]> {
    const stores = await Promise.all([...new Set(datanetIds)].sort().map((id) => this.existing(id)));
    return retrievalScores(retrieved, (id) => stores.map((s) => s?.get(id)).find((c) => c !== undefined));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    await this.embedder.close();
  }
}
