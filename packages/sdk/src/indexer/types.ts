import type { InterfaceAbi } from 'ethers';
import type { IndexerCursor } from './cursor.js';

/** One contract (or set of contracts sharing an ABI) whose events the indexer follows. */
export interface IndexerSource {
  /** Name handlers switch on, e.g. "DatanetRegistry". */
  name: string;
  address: string | readonly string[];
  abi: InterfaceAbi;
  /** Event names to follow; all events of the ABI when omitted. */
  events?: readonly string[];
}

export interface IndexedBlock {
  number: number;
  hash: string;
  parentHash: string;
  /** Unix seconds. */
  timestamp: number;
}

/** A log decoded against its source's ABI. */
export interface DecodedLog {
  /** Sortable position: see checkpoint.ts. Use it as the idempotency key of rows a log creates. */
  checkpoint: string;
  source: string;
  eventName: string;
  /** Named event arguments (uint → bigint, address → checksummed string, structs → objects). */
  args: Record<string, unknown>;
  address: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
  topics: string[];
  data: string;
}

/** Logs of one block, in log order. Delivered in block order, only for blocks with matching logs. */
export interface BlockEvent {
  type: 'block';
  block: IndexedBlock;
  logs: DecodedLog[];
  /** The cursor once this block is handled (store it in the same transaction to make it atomic). */
  cursor: IndexerCursor;
}

/** Blocks above `rollbackTo` were reorged away: delete what they produced (checkpoint > `checkpoint`). */
export interface ReorgEvent {
  type: 'reorg';
  rollbackTo: number;
  checkpoint: string;
  /** Numbers of the delivered blocks that were removed. */
  removedBlocks: number[];
  cursor: IndexerCursor;
}

/** Blocks up to `blockNumber` are final: no reorg will touch them. */
export interface FinalizeEvent {
  type: 'finalize';
  blockNumber: number;
  checkpoint: string;
  cursor: IndexerCursor;
}

export type IndexerEvent = BlockEvent | ReorgEvent | FinalizeEvent;
