// Indexer bench on a real anvil: lag between a log's block being mined and its handler running,
// and catch-up throughput. Run: pnpm --filter @openledger/sdk bench:indexer
import { Wallet } from 'ethers';
import { anvilChain, createProvider } from '../src/chains.js';
import { MemoryCursorStore, createIndexer } from '../src/indexer/index.js';
import { startAnvil } from '../src/testing.js';
import { NOTE_ABI, deployNoteContract, emitNote } from '../src/indexer/note-contract.test-helpers.js';

const EVENTS = Number(process.env.EVENTS ?? 40);
const CATCH_UP_BLOCKS = Number(process.env.CATCH_UP_BLOCKS ?? 2000);
const POLL_MS = Number(process.env.POLL_MS ?? 250);

const anvil = await startAnvil();
const chain = anvilChain({ rpcUrl: anvil.rpcUrl });
const provider = createProvider(chain);
try {
  const wallet = new Wallet(anvil.accounts[0]!.privateKey, provider);
  const note = await deployNoteContract(wallet);
  const minedAt = new Map<bigint, number>();
  const lagsMs: number[] = [];
  const lagBlocks: number[] = [];
  let head = 0;
  const indexer = createIndexer({
    provider,
    chainId: chain.chainId,
    startBlock: note.blockNumber,
    sources: [{ name: 'Note', address: note.address, abi: NOTE_ABI }],
    cursorStore: new MemoryCursorStore(),
    pollingIntervalMs: POLL_MS,
    onEvent: async (event) => {
      if (event.type !== 'block') return;
      for (const log of event.logs) {
        const at = minedAt.get(log.args.value as bigint);
        if (at !== undefined) lagsMs.push(performance.now() - at);
        lagBlocks.push(head - event.block.number);
      }
    },
  });
  await indexer.start();
  for (let i = 0; i < EVENTS; i++) {
    const value = BigInt(i + 1);
    head = await emitNote(wallet, note.address, value);
    minedAt.set(value, performance.now());
    await new Promise((r) => setTimeout(r, 100 + ((i * 37) % 200)));
  }
  const deadline = Date.now() + 10_000;
  while (lagsMs.length < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await indexer.stop();
  const sorted = [...lagsMs].sort((a, b) => a - b);
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  console.log(`indexer lag behind head (${EVENTS} events, poll ${POLL_MS} ms): p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
  console.log(`indexer lag in blocks at delivery: max ${Math.max(...lagBlocks)}`);

  // Catch-up: many blocks with one log each, indexed from scratch.
  const from = Number(await provider.send('eth_blockNumber', [])) + 1;
  const nonce = Number(await provider.send('eth_getTransactionCount', [wallet.address, 'latest']));
  const signed: string[] = [];
  const feeData = { maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n };
  for (let i = 0; i < CATCH_UP_BLOCKS; i++) {
    signed.push(await wallet.signTransaction({ to: note.address, data: '0x' + BigInt(1000 + i).toString(16).padStart(64, '0'), nonce: nonce + i, gasLimit: 30_000, chainId: chain.chainId, type: 2, ...feeData }));
  }
  for (let i = 0; i < signed.length; i += 100) await Promise.all(signed.slice(i, i + 100).map((tx) => provider.send('eth_sendRawTransaction', [tx])));
  let delivered = 0;
  const catchUp = createIndexer({
    provider,
    chainId: chain.chainId,
    startBlock: from,
    sources: [{ name: 'Note', address: note.address, abi: NOTE_ABI }],
    cursorStore: new MemoryCursorStore(),
    finalityBlocks: 64,
    onEvent: async (event) => {
      if (event.type === 'block') delivered += event.logs.length;
    },
  });
  const start = performance.now();
  await catchUp.syncToHead();
  const seconds = (performance.now() - start) / 1000;
  console.log(`indexer catch-up: ${delivered} logs over ${CATCH_UP_BLOCKS}+ blocks in ${seconds.toFixed(2)} s (${(delivered / seconds).toFixed(0)} logs/s)`);
} finally {
  provider.destroy();
  await anvil.stop();
}
