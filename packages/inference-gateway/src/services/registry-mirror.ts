import { eq } from 'drizzle-orm';
import type { JsonRpcProvider } from 'ethers';
import { contractAbis, createIndexer, getModelRegistry, type CursorStore, type Indexer, type IndexerCursor, type IndexerEvent } from '@openledger/sdk';
import type { Db } from '../db/database.js';
import { adapters, baseModels, indexerCursors } from '../db/schema.js';

const CURSOR_NAME = 'model-registry';

class DbCursorStore implements CursorStore {
  constructor(private readonly db: Db) {}
  async load(): Promise<IndexerCursor | undefined> {
    const [row] = await this.db.select().from(indexerCursors).where(eq(indexerCursors.name, CURSOR_NAME)).limit(1);
    return row?.cursor as IndexerCursor | undefined;
  }
  async save(cursor: IndexerCursor): Promise<void> {
    await this.db.insert(indexerCursors).values({ name: CURSOR_NAME, cursor }).onConflictDoUpdate({ target: indexerCursors.name, set: { cursor } });
  }
}

export interface RegistryMirrorOptions {
  db: Db;
  provider: JsonRpcProvider;
  chainId: number;
  registryAddress: string;
  startBlock: number;
  confirmations: number;
  pollingIntervalMs?: number;
  onChange?: () => void;
  onError?: (e: unknown) => void;
}

/**
 * Mirrors the ModelRegistry into the gateway's tables through the sdk indexer. Each event names the base
 * model or adapter it touched; the row is refreshed from the contract's view functions (latest version,
 * price, owner, flags) and upserted, so replays and reorgs converge: a reorg re-reads every mirrored row.
 */
export class RegistryMirror {
  readonly indexer: Indexer;
  private readonly registry;

  constructor(private readonly options: RegistryMirrorOptions) {
    this.registry = getModelRegistry(options.registryAddress, options.provider);
    this.indexer = createIndexer({
      provider: options.provider,
      chainId: options.chainId,
      sources: [{ name: 'ModelRegistry', address: options.registryAddress, abi: contractAbis.ModelRegistry as never }],
      startBlock: options.startBlock,
      cursorStore: new DbCursorStore(options.db),
      confirmations: options.confirmations,
      pollingIntervalMs: options.pollingIntervalMs ?? 1_000,
      onEvent: (e) => this.onEvent(e),
      onError: options.onError,
    });
  }

  private async onEvent(event: IndexerEvent): Promise<void> {
    if (event.type === 'finalize') return;
    if (event.type === 'reorg') {
      const bases = await this.options.db.select({ id: baseModels.id }).from(baseModels);
      const rows = await this.options.db.select({ id: adapters.id }).from(adapters);
      for (const b of bases) await this.refreshBase(BigInt(b.id));
      for (const a of rows) await this.refreshAdapter(BigInt(a.id));
      this.options.onChange?.();
      return;
    }
    for (const log of event.logs) {
      const args = log.args as Record<string, bigint | string>;
      if (log.eventName === 'BaseModelRegistered' || log.eventName === 'BaseModelDelisted') await this.refreshBase(BigInt(args.baseModelId!));
      else if (args.adapterId !== undefined) await this.refreshAdapter(BigInt(args.adapterId));
    }
    this.options.onChange?.();
  }

  private async refreshBase(id: bigint): Promise<void> {
    const b = await this.registry.baseModel(id);
    const row = { id: id.toString(), owner: b.owner, name: b.name, fileHash: b.fileHash, uri: b.uri, delisted: b.delisted };
    await this.options.db.insert(baseModels).values(row).onConflictDoUpdate({ target: baseModels.id, set: row });
  }

  private async refreshAdapter(id: bigint): Promise<void> {
    const a = await this.registry.adapter(id);
    const v = await this.registry.latestVersion(id);
    const row = {
      id: id.toString(),
      baseModelId: a.baseModelId.toString(),
      owner: a.owner,
      name: a.name,
      version: Number(a.latestVersion),
      fileHash: v.fileHash,
      uri: v.uri,
      rank: Number(v.rank),
      pricePer1kTokensWei: v.pricePer1kTokens.toString(),
      datanetIds: v.datanetIds.map((d) => d.toString()),
      deprecated: a.deprecated,
      delisted: a.delisted,
      publishedAt: Number(v.publishedAt),
    };
    await this.options.db.insert(adapters).values(row).onConflictDoUpdate({ target: adapters.id, set: row });
  }

  start(): Promise<void> {
    return this.indexer.start();
  }

  syncToHead() {
    return this.indexer.syncToHead();
  }

  stop(): Promise<void> {
    return this.indexer.stop();
  }
}
