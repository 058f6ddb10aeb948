import { HttpProblem, notFound } from '@openledger/service-kit';
import type { Db } from '../db/database.js';
import { adapters, baseModels } from '../db/schema.js';

export interface CatalogAdapter {
  kind: 'adapter';
  /** Model name on the OpenAI API: `adapter-<id>`. */
  modelName: string;
  id: string;
  baseModelId: string;
  owner: `0x${string}`;
  name: string;
  version: number;
  sha256: string;
  uri: string;
  rank: number;
  pricePer1kTokensWei: bigint;
  datanetIds: string[];
  publishedAt: number;
}

export interface CatalogBase {
  kind: 'base';
  modelName: string;
  id: string;
  owner: `0x${string}`;
  name: string;
  sha256: string;
}

export type CatalogModel = CatalogAdapter | CatalogBase;

const strip0x = (h: string) => h.toLowerCase().replace(/^0x/, '');

/**
 * The servable models: the mirror of the ModelRegistry (delisted and deprecated entries left out), held in
 * memory and reloaded when the mirror changes or every few seconds (other replicas' mirrors).
 */
export class ModelCatalog {
  private models = new Map<string, CatalogModel>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  /**
   * @param servedBaseModels base model id → sha256 of the local GGUF the engines load (undefined: file not on
   * this host, trust the engines' host). A base whose on-chain hash differs is not served, nor its adapters.
   */
  constructor(private readonly db: Db, private readonly servedBaseModels: Map<string, string | undefined>, private readonly maxAgeMs = 5_000, private readonly onMismatch?: (msg: string) => void) {}

  async reload(): Promise<void> {
    const [bases, rows] = await Promise.all([this.db.select().from(baseModels), this.db.select().from(adapters)]);
    const next = new Map<string, CatalogModel>();
    for (const b of bases) {
      if (b.delisted || !this.servedBaseModels.has(b.id)) continue;
      const local = this.servedBaseModels.get(b.id);
      if (local !== undefined && local !== strip0x(b.fileHash)) {
        this.onMismatch?.(`base model ${b.id}: local file sha256 ${local} differs from the registered ${strip0x(b.fileHash)}; not served`);
        continue;
      }
      next.set(`base-${b.id}`, { kind: 'base', modelName: `base-${b.id}`, id: b.id, owner: b.owner as `0x${string}`, name: b.name, sha256: strip0x(b.fileHash) });
    }
    for (const a of rows) {
      if (a.delisted || a.deprecated || !next.has(`base-${a.baseModelId}`)) continue;
      next.set(`adapter-${a.id}`, {
        kind: 'adapter',
        modelName: `adapter-${a.id}`,
        id: a.id,
        baseModelId: a.baseModelId,
        owner: a.owner as `0x${string}`,
        name: a.name,
        version: a.version,
        sha256: strip0x(a.fileHash),
        uri: a.uri,
        rank: a.rank,
        pricePer1kTokensWei: BigInt(a.pricePer1kTokensWei),
        datanetIds: a.datanetIds,
        publishedAt: a.publishedAt,
      });
    }
    this.models = next;
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.maxAgeMs) return;
    if (!this.loading) this.loading = this.reload().finally(() => (this.loading = null));
    await this.loading;
  }

  async list(): Promise<CatalogModel[]> {
    await this.fresh();
    return [...this.models.values()];
  }

  async resolve(model: string): Promise<CatalogModel> {
    await this.fresh();
    const hit = this.models.get(model);
    if (hit) return hit;
    const byName = [...this.models.values()].filter((m) => m.name === model);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw new HttpProblem(400, `model name "${model}" is ambiguous; use one of ${byName.map((m) => m.modelName).join(', ')}`);
    throw notFound(`model "${model}" is not served here; GET /v1/models lists the models`);
  }
}
