/** A block the indexer has delivered and may still see reorged away. */
export interface BlockRef {
  number: number;
  hash: string;
  parentHash: string;
  /** True when the block delivered logs. */
  logs?: boolean;
}

/**
 * Where the indexer stands; JSON-serializable so a service keeps it in one row of its own table.
 * Blocks ≤ `lastBlock` are delivered; blocks ≤ `finalizedBlock` are final; `unfinalized` holds, for
 * reorg checks, the hashes of the blocks above the finalized one that delivered logs, of the newest
 * block, and of one anchor at or below the finalized block — a few entries, not one per block.
 */
export interface IndexerCursor {
  chainId: number;
  lastBlock: number;
  finalizedBlock: number;
  unfinalized: BlockRef[];
}

/**
 * Persistence for the cursor. The indexer calls `save` only after the handler of the events up to
 * that cursor resolved; a crash between the two re-delivers those events, which handlers absorb by
 * upserting on the log's checkpoint.
 */
export interface CursorStore {
  load(): Promise<IndexerCursor | undefined>;
  save(cursor: IndexerCursor): Promise<void>;
}

/** A cursor store in memory (tests, one-shot scripts). */
export class MemoryCursorStore implements CursorStore {
  private cursor: IndexerCursor | undefined;
  saves = 0;

  constructor(initial?: IndexerCursor) {
    this.cursor = initial ? structuredClone(initial) : undefined;
  }

  async load(): Promise<IndexerCursor | undefined> {
    return this.cursor ? structuredClone(this.cursor) : undefined;
  }

  async save(cursor: IndexerCursor): Promise<void> {
    this.cursor = structuredClone(cursor);
    this.saves++;
  }
}
