import { Wallet, type JsonRpcProvider } from 'ethers';
import { anvilChain, createProvider } from '../chains.js';
import { startAnvil, type AnvilInstance } from '../testing.js';
import { blockEndCheckpoint, decodeCheckpoint } from './checkpoint.js';
import { MemoryCursorStore } from './cursor.js';
import { createIndexer, type IndexerOptions } from './indexer.js';
import { ReorgTooDeepError } from '../errors.js';
import type { IndexerEvent } from './types.js';
import { NOTE_ABI, deployNoteContract, emitNote, mine } from './note-contract.test-helpers.js';

/** What a service would keep: rows keyed by checkpoint, rolled back on reorg. */
class Mirror {
  rows = new Map<string, bigint>();
  events: IndexerEvent[] = [];
  async handle(event: IndexerEvent): Promise<void> {
    this.events.push(event);
    if (event.type === 'block') {
      for (const log of event.logs) this.rows.set(log.checkpoint, log.args.value as bigint);
    } else if (event.type === 'reorg') {
      for (const key of [...this.rows.keys()]) if (key > event.checkpoint) this.rows.delete(key);
    }
  }
  values(): bigint[] {
    return [...this.rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  }
}

let anvil: AnvilInstance;
let provider: JsonRpcProvider;
let wallet: Wallet;
let note: string;
let deployBlock: number;

beforeAll(async () => {
  anvil = await startAnvil();
  provider = createProvider(anvilChain({ rpcUrl: anvil.rpcUrl }));
  wallet = new Wallet(anvil.accounts[0]!.privateKey, provider);
  ({ address: note, blockNumber: deployBlock } = await deployNoteContract(wallet));
});

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

function makeIndexer(store: MemoryCursorStore, mirror: Mirror, extra: Partial<IndexerOptions> = {}) {
  return createIndexer({
    provider,
    chainId: anvil.chainId,
    sources: [{ name: 'Note', address: note, abi: NOTE_ABI }],
    startBlock: deployBlock,
    cursorStore: store,
    onEvent: (event) => mirror.handle(event),
    finalityBlocks: 64,
    pollingIntervalMs: 20,
    ...extra,
  });
}

test('delivers decoded logs in order, rolls back a reorg, re-delivers the new branch and resumes from its cursor', async () => {
  const store = new MemoryCursorStore();
  const mirror = new Mirror();
  const indexer = makeIndexer(store, mirror);

  const block1 = await emitNote(wallet, note, 1n);
  const snapshot = await anvil.rpc<string>('evm_snapshot');
  await emitNote(wallet, note, 2n);
  await emitNote(wallet, note, 3n);
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([1n, 2n, 3n]);
  const firstBlock = mirror.events.find((e) => e.type === 'block');
  expect(firstBlock).toMatchObject({ type: 'block', block: { number: block1 }, logs: [{ eventName: 'Note', source: 'Note', args: { value: 1n } }] });

  // Replace blocks 2 and 3 by a longer branch.
  await anvil.rpc('evm_revert', [snapshot]);
  await emitNote(wallet, note, 20n);
  await emitNote(wallet, note, 30n);
  await emitNote(wallet, note, 40n);
  await indexer.syncToHead();
  const reorg = mirror.events.find((e) => e.type === 'reorg');
  expect(reorg).toMatchObject({ type: 'reorg', rollbackTo: block1, checkpoint: blockEndCheckpoint(block1), removedBlocks: [block1 + 1, block1 + 2] });
  expect(mirror.values()).toEqual([1n, 20n, 30n, 40n]);
  expect(store.saves).toBeGreaterThan(0);

  // A new process resumes from the stored cursor: nothing old is delivered again.
  const mirror2 = new Mirror();
  const restarted = makeIndexer(store, mirror2);
  const snapshot2 = await anvil.rpc<string>('evm_snapshot');
  await emitNote(wallet, note, 50n);
  await restarted.syncToHead();
  expect(mirror2.values()).toEqual([50n]);

  // After another restart, a reorg that shortens the chain (same height, other hashes) is still seen.
  await anvil.rpc('evm_revert', [snapshot2]);
  await mine(provider, 1);
  const mirror3 = new Mirror();
  mirror3.rows = new Map(mirror2.rows);
  const again = makeIndexer(store, mirror3);
  await again.syncToHead();
  expect(mirror3.events[0]).toMatchObject({ type: 'reorg', rollbackTo: block1 + 3 });
  expect(mirror3.values()).toEqual([]);
});

test('waits for confirmations before delivering a block', async () => {
  const store = new MemoryCursorStore();
  const mirror = new Mirror();
  const start = (await head()) + 1;
  const indexer = makeIndexer(store, mirror, { startBlock: start, confirmations: 2 });
  await emitNote(wallet, note, 7n);
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([]);
  await mine(provider, 1);
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([]);
  await mine(provider, 1);
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([7n]);
});

test('catches up through getLogs ranges over final blocks and emits finalize', async () => {
  const start = (await head()) + 1;
  const expected: bigint[] = [];
  for (let i = 0; i < 6; i++) {
    await emitNote(wallet, note, 100n + BigInt(i));
    expected.push(100n + BigInt(i));
    await mine(provider, 1);
  }
  const mirror = new Mirror();
  const indexer = makeIndexer(new MemoryCursorStore(), mirror, { startBlock: start, finalityBlocks: 3, maxBlockRange: 2 });
  const result = await indexer.syncToHead();
  expect(mirror.values()).toEqual(expected);
  const finalizes = mirror.events.filter((e) => e.type === 'finalize');
  expect(finalizes.length).toBeGreaterThan(2);
  expect(result.finalizedBlock).toBe(result.head - 3);
  const blocks = mirror.events.filter((e) => e.type === 'block').map((e) => (e.type === 'block' ? e.block.number : 0));
  expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
  for (const event of mirror.events) {
    if (event.type === 'block') for (const log of event.logs) expect(decodeCheckpoint(log.checkpoint).blockNumber).toBe(event.block.number);
  }
});

test('halves the getLogs range when the node refuses a large one', async () => {
  const start = (await head()) + 1;
  for (let i = 0; i < 5; i++) await emitNote(wallet, note, 200n + BigInt(i));
  await mine(provider, 3);
  const ranges: number[] = [];
  // a real node behind a range limit, as hosted RPCs have
  const limited = {
    send: async (method: string, params: unknown[]) => {
      if (method === 'eth_getLogs') {
        const { fromBlock, toBlock } = params[0] as { fromBlock: string; toBlock: string };
        const span = Number(toBlock) - Number(fromBlock) + 1;
        ranges.push(span);
        if (span > 2) throw new Error('query exceeds max block range 2');
      }
      return provider.send(method, params);
    },
  };
  const mirror = new Mirror();
  const indexer = makeIndexer(new MemoryCursorStore(), mirror, { provider: limited, startBlock: start, finalityBlocks: 2, maxBlockRange: 8 });
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([200n, 201n, 202n, 203n, 204n]);
  expect(ranges.some((span) => span > 2)).toBe(true);
});

test('the cursor advances only after the handler committed', async () => {
  const start = (await head()) + 1;
  await emitNote(wallet, note, 9n);
  const store = new MemoryCursorStore();
  const mirror = new Mirror();
  let fail = true;
  const indexer = makeIndexer(store, mirror, {
    startBlock: start,
    onEvent: async (event) => {
      if (fail && event.type === 'block') throw new Error('database down');
      await mirror.handle(event);
    },
  });
  await expect(indexer.syncOnce()).rejects.toThrow('database down');
  expect(await store.load()).toBeUndefined();
  fail = false;
  await indexer.syncToHead();
  expect(mirror.values()).toEqual([9n]);
  expect((await store.load())!.lastBlock).toBeGreaterThanOrEqual(start);
});

test('start() follows new blocks until stop()', async () => {
  const mirror = new Mirror();
  const indexer = makeIndexer(new MemoryCursorStore(), mirror, { startBlock: (await head()) + 1 });
  await indexer.start();
  await emitNote(wallet, note, 77n);
  const deadline = Date.now() + 10_000;
  while (!mirror.values().includes(77n) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await indexer.stop();
  expect(mirror.values()).toEqual([77n]);
});

test('keeps the cursor small: only blocks with logs, the newest block and the finalized anchor', async () => {
  const store = new MemoryCursorStore();
  const mirror = new Mirror();
  const indexer = makeIndexer(store, mirror, { startBlock: (await head()) + 1 });
  await emitNote(wallet, note, 301n);
  await mine(provider, 30);
  await emitNote(wallet, note, 302n);
  await mine(provider, 30);
  await indexer.syncToHead();
  const cursor = (await store.load())!;
  expect(cursor.unfinalized.length).toBeLessThanOrEqual(3);
  expect(cursor.unfinalized.at(-1)!.number).toBe(cursor.lastBlock);
  expect(mirror.values()).toEqual([301n, 302n]);
});

test('a reorg below the finalized block stops the indexer with ReorgTooDeepError', async () => {
  const snapshot = await anvil.rpc<string>('evm_snapshot');
  const start = (await head()) + 1;
  await emitNote(wallet, note, 401n);
  await mine(provider, 6);
  const store = new MemoryCursorStore();
  const indexer = makeIndexer(store, new Mirror(), { startBlock: start, finalityBlocks: 2 });
  // deliver block by block so the finalized anchor is a block the indexer saw with its hash
  await indexer.syncToHead();
  await anvil.rpc('evm_revert', [snapshot]);
  await mine(provider, 10);
  await expect(indexer.syncOnce()).rejects.toThrow(ReorgTooDeepError);
});

test('a log its ABI cannot decode stops the sync with an error naming it, nothing delivered', async () => {
  const start = (await head()) + 1;
  await emitNote(wallet, note, 501n);
  const mirror = new Mirror();
  // same signature Note(uint256), but declared indexed: the real log has no topic for it
  const indexer = makeIndexer(new MemoryCursorStore(), mirror, {
    startBlock: start,
    sources: [{ name: 'Note', address: note, abi: ['event Note(uint256 indexed value)'] }],
  });
  await expect(indexer.syncOnce()).rejects.toThrow(/cannot decode Note.Note log 0 of tx 0x[0-9a-f]+ in block \d+/);
  expect(mirror.events.filter((e) => e.type === 'block')).toEqual([]);
});

test('refuses a cursor stored for another chain', async () => {
  const store = new MemoryCursorStore({ chainId: 1, lastBlock: 5, finalizedBlock: 5, unfinalized: [] });
  await expect(makeIndexer(store, new Mirror()).syncOnce()).rejects.toThrow(/chain 1/);
});

async function head(): Promise<number> {
  return Number(await provider.send('eth_blockNumber', []));
}
