import { Interface, getAddress, type EventFragment } from 'ethers';
import { IndexerError, ReorgTooDeepError } from '../errors.js';
import { blockEndCheckpoint, encodeCheckpoint } from './checkpoint.js';
import type { BlockRef, CursorStore, IndexerCursor } from './cursor.js';
import type { DecodedLog, IndexedBlock, IndexerEvent, IndexerSource } from './types.js';

/** The one RPC method the indexer needs (any ethers `JsonRpcProvider` has it). */
export interface JsonRpcSender {
  send(method: string, params: unknown[]): Promise<any>;
}

export interface IndexerOptions {
  provider: JsonRpcSender;
  chainId: number;
  sources: readonly IndexerSource[];
  /** First block to index when the store holds no cursor (the deployment's `startBlock`). */
  startBlock: number;
  cursorStore: CursorStore;
  /** Called for every event, in order; the cursor advances only after it resolves. */
  onEvent: (event: IndexerEvent) => Promise<void>;
  /** Blocks behind the head a block must be before its logs are delivered (default 0). */
  confirmations?: number;
  /** Blocks behind the head after which a block is final (default 64). */
  finalityBlocks?: number;
  /** Largest `eth_getLogs` range while catching up (default 2,000). */
  maxBlockRange?: number;
  /** Largest number of unfinalized block headers fetched in one poll (default 100). */
  maxRealtimeBlocks?: number;
  pollingIntervalMs?: number;
  /** Called when a poll fails; the loop retries with backoff. Fatal errors (deep reorg) stop the loop. */
  onError?: (error: unknown) => void;
}

export interface SyncResult {
  head: number;
  lastBlock: number;
  finalizedBlock: number;
  /** True when the indexer delivered everything up to head - confirmations. */
  caughtUp: boolean;
}

export interface Indexer {
  /** Loads the cursor and polls until {@link Indexer.stop}. Resolves once the loop has started. */
  start(): Promise<void>;
  /** Stops polling; resolves when the current poll (and handler) finished. */
  stop(): Promise<void>;
  /** One poll: reorg check, next range, finalization. Used by `start` and by tests. */
  syncOnce(): Promise<SyncResult>;
  /** Polls until caught up with the current head. */
  syncToHead(): Promise<SyncResult>;
  readonly cursor: IndexerCursor | undefined;
  /** Resolves when the loop stopped because of a fatal error (rejects with it). */
  readonly done: Promise<void>;
}

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

interface EventHandle {
  source: string;
  iface: Interface;
  fragment: EventFragment;
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const num = (value: string): number => Number.parseInt(value, 16);

class ChainMovedError extends Error {}

/**
 * Mirrors contract events into a service, ponder-style: catch-up through `eth_getLogs` ranges over
 * final blocks, then block-by-block headers near the head with a parentHash → hash check over the
 * unfinalized blocks it delivered; on a mismatch it walks back to the common ancestor, emits
 * `reorg` and re-delivers the new branch.
 */
export function createIndexer(options: IndexerOptions): Indexer {
  const confirmations = options.confirmations ?? 0;
  const finalityBlocks = options.finalityBlocks ?? 64;
  const maxBlockRange = options.maxBlockRange ?? 2000;
  const maxRealtimeBlocks = options.maxRealtimeBlocks ?? 100;
  const pollingIntervalMs = options.pollingIntervalMs ?? 1000;
  if (!Number.isInteger(confirmations) || confirmations < 0) throw new IndexerError('confirmations must be a non-negative integer');
  if (!Number.isInteger(finalityBlocks) || finalityBlocks < 1) throw new IndexerError('finalityBlocks must be a positive integer');
  if (confirmations > finalityBlocks) throw new IndexerError('confirmations must not exceed finalityBlocks');
  if (!Number.isInteger(options.startBlock) || options.startBlock < 0) throw new IndexerError('startBlock must be a non-negative integer');
  if (options.sources.length === 0) throw new IndexerError('at least one source is needed');

  const handles = new Map<string, EventHandle>(); // `${address}:${topic0}` → decoder
  const addresses = new Set<string>();
  const topics = new Set<string>();
  for (const source of options.sources) {
    const iface = Interface.from(source.abi);
    const fragments: EventFragment[] = [];
    iface.forEachEvent((fragment) => {
      if (!source.events || source.events.includes(fragment.name)) fragments.push(fragment);
    });
    for (const wanted of source.events ?? []) {
      if (!fragments.some((f) => f.name === wanted)) throw new IndexerError(`source ${source.name} has no event ${wanted}`);
    }
    const sourceAddresses = typeof source.address === 'string' ? [source.address] : source.address;
    for (const address of sourceAddresses) {
      const lower = getAddress(address).toLowerCase();
      addresses.add(lower);
      for (const fragment of fragments) {
        topics.add(fragment.topicHash);
        handles.set(`${lower}:${fragment.topicHash}`, { source: source.name, iface, fragment });
      }
    }
  }
  const filter = { address: [...addresses], topics: [[...topics]] };

  let cursor: IndexerCursor | undefined;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let resolveDone!: () => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined);

  async function rpc<T>(method: string, params: unknown[]): Promise<T> {
    return (await options.provider.send(method, params)) as T;
  }

  async function loadCursor(): Promise<IndexerCursor> {
    if (cursor) return cursor;
    const stored = await options.cursorStore.load();
    if (stored) {
      if (stored.chainId !== options.chainId) {
        throw new IndexerError(`stored cursor is for chain ${stored.chainId}, indexer runs on ${options.chainId}`);
      }
      cursor = stored;
    } else {
      const before = options.startBlock - 1;
      cursor = { chainId: options.chainId, lastBlock: before, finalizedBlock: before, unfinalized: [] };
    }
    return cursor;
  }

  async function commit(event: IndexerEvent): Promise<void> {
    await options.onEvent(event);
    await options.cursorStore.save(event.cursor);
    cursor = event.cursor;
  }

  async function getBlock(number: number): Promise<IndexedBlock | undefined> {
    const block = await rpc<RpcBlock | null>('eth_getBlockByNumber', [hex(number), false]);
    if (!block) return undefined;
    return { number: num(block.number), hash: block.hash, parentHash: block.parentHash, timestamp: num(block.timestamp) };
  }

  async function getLogs(fromBlock: number, toBlock: number): Promise<RpcLog[]> {
    const logs = await rpc<RpcLog[]>('eth_getLogs', [{ ...filter, fromBlock: hex(fromBlock), toBlock: hex(toBlock) }]);
    return logs.filter((log) => !log.removed);
  }

  function decode(log: RpcLog): DecodedLog | undefined {
    const topic0 = log.topics[0];
    if (!topic0) return undefined;
    const handle = handles.get(`${log.address.toLowerCase()}:${topic0}`);
    if (!handle) return undefined;
    let parsed;
    try {
      parsed = handle.iface.decodeEventLog(handle.fragment, log.data, log.topics);
    } catch (error) {
      // an ABI that no longer matches the contract: stop rather than mirror a gap
      throw new IndexerError(
        `cannot decode ${handle.source}.${handle.fragment.name} log ${num(log.logIndex)} of tx ${log.transactionHash} in block ${num(log.blockNumber)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const args: Record<string, unknown> = {};
    handle.fragment.inputs.forEach((input, i) => {
      args[input.name || String(i)] = toPlain(parsed[i]);
    });
    const blockNumber = num(log.blockNumber);
    const transactionIndex = num(log.transactionIndex);
    const logIndex = num(log.logIndex);
    return {
      checkpoint: encodeCheckpoint({ blockNumber, transactionIndex, logIndex }),
      source: handle.source,
      eventName: handle.fragment.name,
      args,
      address: getAddress(log.address),
      blockNumber,
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      transactionIndex,
      logIndex,
      topics: log.topics,
      data: log.data,
    };
  }

  function groupByBlock(logs: RpcLog[]): Map<number, DecodedLog[]> {
    const byBlock = new Map<number, DecodedLog[]>();
    for (const log of logs) {
      const decoded = decode(log);
      if (!decoded) continue;
      const list = byBlock.get(decoded.blockNumber) ?? [];
      list.push(decoded);
      byBlock.set(decoded.blockNumber, list);
    }
    for (const list of byBlock.values()) list.sort((a, b) => a.logIndex - b.logIndex);
    return byBlock;
  }

  /** Walks back from the newest unfinalized block to the newest one still on the chain. */
  async function handleReorg(current: IndexerCursor): Promise<void> {
    let ancestor: BlockRef | undefined;
    for (let i = current.unfinalized.length - 1; i >= 0; i--) {
      const ref = current.unfinalized[i]!;
      const remote = await getBlock(ref.number);
      if (remote && remote.hash === ref.hash) {
        ancestor = ref;
        break;
      }
    }
    const oldest = current.unfinalized[0];
    if (!ancestor && oldest && oldest.number <= current.finalizedBlock) throw new ReorgTooDeepError(current.finalizedBlock);
    const rollbackTo = ancestor ? ancestor.number : current.finalizedBlock;
    const removed = current.unfinalized.filter((ref) => ref.number > rollbackTo).map((ref) => ref.number);
    await commit({
      type: 'reorg',
      rollbackTo,
      checkpoint: blockEndCheckpoint(rollbackTo),
      removedBlocks: removed,
      cursor: {
        ...current,
        lastBlock: rollbackTo,
        unfinalized: current.unfinalized.filter((ref) => ref.number <= rollbackTo),
      },
    });
  }

  /** Logs of [from, to]; when the node refuses the range (result too large), the range is halved. */
  async function getLogsShrinking(from: number, to: number): Promise<{ to: number; logs: RpcLog[] }> {
    for (;;) {
      try {
        return { to, logs: await getLogs(from, to) };
      } catch (error) {
        if (to === from) throw error;
        to = from + Math.floor((to - from) / 2);
      }
    }
  }

  async function catchUp(current: IndexerCursor, toBlock: number): Promise<void> {
    const from = current.lastBlock + 1;
    const fetched = await getLogsShrinking(from, Math.min(toBlock, from + maxBlockRange - 1));
    const to = fetched.to;
    const byBlock = groupByBlock(fetched.logs);
    let state = current;
    const blocks = [...byBlock.entries()].sort((a, b) => a[0] - b[0]);
    // headers (for timestamps) fetched together: ethers sends them as JSON-RPC batches
    const [anchor, ...headers] = await Promise.all([getBlock(to), ...blocks.map(([number]) => getBlock(number))]);
    if (!anchor) throw new ChainMovedError();
    for (let i = 0; i < blocks.length; i++) {
      const [number, logs] = blocks[i]!;
      const header = headers[i];
      if (!header || header.hash !== logs[0]!.blockHash) throw new ChainMovedError();
      state = { ...state, lastBlock: number, finalizedBlock: number };
      await commit({ type: 'block', block: header, logs, cursor: state });
    }
    if (state.lastBlock < to) state = { ...state, lastBlock: to, finalizedBlock: to };
    // the range's last block is the anchor a later reorg below the finalized block is detected against
    const anchorRef: BlockRef = { number: anchor.number, hash: anchor.hash, parentHash: anchor.parentHash };
    await commit({ type: 'finalize', blockNumber: to, checkpoint: blockEndCheckpoint(to), cursor: { ...state, unfinalized: [anchorRef] } });
  }

  async function realtime(current: IndexerCursor, toBlock: number): Promise<void> {
    const from = current.lastBlock + 1;
    const to = Math.min(toBlock, from + maxRealtimeBlocks - 1);
    const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const headers = await Promise.all(numbers.map((n) => getBlock(n)));
    const previous = current.unfinalized.at(-1);
    for (let i = 0; i < headers.length; i++) {
      const header = headers[i];
      if (!header) throw new ChainMovedError();
      const parent = i === 0 ? (previous?.number === from - 1 ? previous : undefined) : headers[i - 1]!;
      if (parent && header.parentHash !== parent.hash) {
        if (i === 0) return handleReorg(current);
        throw new ChainMovedError();
      }
    }
    const byBlock = groupByBlock(await getLogs(from, to));
    for (const [number, logs] of byBlock) {
      if (logs[0]!.blockHash !== headers[number - from]!.hash) throw new ChainMovedError();
    }
    let state = current;
    for (const header of headers as IndexedBlock[]) {
      const ref: BlockRef = { number: header.number, hash: header.hash, parentHash: header.parentHash };
      if (byBlock.has(header.number)) ref.logs = true;
      // Keep refs sparse: blocks that delivered logs, the newest block (the parent of the next one)
      // and the finalized anchor. A walk-back then finds an ancestor at or below the fork point,
      // and re-delivery from there is idempotent.
      const newest = state.unfinalized.at(-1);
      const kept = newest && !newest.logs && newest.number > state.finalizedBlock ? state.unfinalized.slice(0, -1) : state.unfinalized;
      state = { ...state, lastBlock: header.number, unfinalized: [...kept, ref] };
      const logs = byBlock.get(header.number);
      if (logs) await commit({ type: 'block', block: header, logs, cursor: state });
    }
    if (state !== cursor) {
      await options.cursorStore.save(state);
      cursor = state;
    }
  }

  async function finalize(head: number): Promise<void> {
    const current = cursor!;
    const finalized = Math.min(current.lastBlock, head - finalityBlocks);
    if (finalized <= current.finalizedBlock) return;
    let anchor = finalized;
    for (const ref of current.unfinalized) if (ref.number <= finalized) anchor = ref.number;
    await commit({
      type: 'finalize',
      blockNumber: finalized,
      checkpoint: blockEndCheckpoint(finalized),
      // keep the newest block at or below the finalized one as the anchor a deep reorg is detected against
      cursor: { ...current, finalizedBlock: finalized, unfinalized: current.unfinalized.filter((ref) => ref.number >= anchor) },
    });
  }

  async function syncOnce(): Promise<SyncResult> {
    let current = await loadCursor();
    const head = num(await rpc<string>('eth_blockNumber', []));
    try {
      const newest = current.unfinalized.at(-1);
      if (newest) {
        const remote = newest.number <= head ? await getBlock(newest.number) : undefined;
        if (!remote || remote.hash !== newest.hash) {
          await handleReorg(current);
          current = cursor!;
        }
      }
      const safeHead = head - confirmations;
      const finalHead = head - finalityBlocks;
      if (current.lastBlock < safeHead) {
        if (current.lastBlock < finalHead) await catchUp(current, Math.min(finalHead, safeHead));
        else await realtime(current, safeHead);
      }
      await finalize(head);
    } catch (error) {
      if (!(error instanceof ChainMovedError)) throw error;
      // the chain changed while this poll read it; the next poll sees a consistent view
    }
    const after = cursor!;
    return { head, lastBlock: after.lastBlock, finalizedBlock: after.finalizedBlock, caughtUp: after.lastBlock >= head - confirmations };
  }

  async function syncToHead(): Promise<SyncResult> {
    for (;;) {
      const result = await syncOnce();
      if (result.caughtUp) return result;
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const result = await syncOnce();
        failures = 0;
        if (result.caughtUp && running) await sleep(pollingIntervalMs);
      } catch (error) {
        if (error instanceof ReorgTooDeepError) {
          running = false;
          options.onError?.(error);
          rejectDone(error);
          return;
        }
        failures++;
        options.onError?.(error);
        if (running) await sleep(Math.min(30_000, pollingIntervalMs * 2 ** Math.min(failures, 6)));
      }
    }
    resolveDone();
  }

  return {
    async start() {
      if (running) return;
      await loadCursor();
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    syncOnce,
    syncToHead,
    get cursor() {
      return cursor;
    },
    done,
  };
}

/** ethers `Result` → plain arrays/objects, recursively. */
function toPlain(value: unknown): unknown {
  if (value && typeof value === 'object' && 'toObject' in value && typeof (value as { toObject: unknown }).toObject === 'function') {
    const result = value as unknown as { toObject(): Record<string, unknown>; length: number } & Iterable<unknown>;
    const keys = Object.keys(result.toObject());
    const named = keys.length > 0 && keys.every((k) => !/^\d+$/.test(k));
    if (named) {
      try {
        const obj = result.toObject();
        for (const key of Object.keys(obj)) obj[key] = toPlain(obj[key]);
        return obj;
      } catch {
        // unnamed members: fall through to an array
      }
    }
    return Array.from(result, toPlain);
  }
  return value;
}
