// Indexer lag: with the mirror loop running (POLLING_INTERVAL_MS=250), 40 on-chain stake transactions
// are sent one by one; for each, the time from its receipt to the mirror showing it, and how many
// blocks the mirror's cursor trailed the head when sampled.
import type { Wallet } from 'ethers';
import { getDatanetRegistry, getOpenToken } from '@openledger/sdk';
import { startBenchStack } from './harness.js';

const TXS = 40;
const stack = await startBenchStack({ datanets: [{ description: 'lag' }], env: { POLLING_INTERVAL_MS: '250' }, startIndexer: true });
try {
  const staker = stack.chain.wallets[2]!;
  const [owner] = stack.chain.wallets as [Wallet];
  await (await getOpenToken(stack.chain.deployment.contracts.OpenToken, owner).transfer(staker.address, 10n ** 24n)).wait();
  await (await getOpenToken(stack.chain.deployment.contracts.OpenToken, staker).approve(stack.chain.deployment.contracts.DatanetRegistry, 10n ** 24n)).wait();
  const registry = getDatanetRegistry(stack.chain.deployment.contracts.DatanetRegistry, staker);
  const lags: number[] = [];
  const blockLags: number[] = [];
  for (let i = 1; i <= TXS; i++) {
    await (await registry.stake(1, 10n ** 18n)).wait();
    const mined = performance.now();
    for (;;) {
      const res = await stack.app.inject({ method: 'GET', url: `/datanets/1/stakes/${staker.address}` });
      if ((res.json() as { amount: string }).amount === String(BigInt(i) * 10n ** 18n)) break;
      const head = await stack.chain.provider.getBlockNumber();
      blockLags.push(head - (stack.app.background.indexer.cursor?.lastBlock ?? 0));
      await new Promise((r) => setTimeout(r, 5));
    }
    lags.push(performance.now() - mined);
  }
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]!;
  console.log(`indexer.lag_ms p50 ${pct(50).toFixed(0)} p95 ${pct(95).toFixed(0)} max ${pct(100).toFixed(0)} over ${TXS} stake transactions (polling 250 ms, confirmations 0)`);
  console.log(`indexer.lag_blocks max ${Math.max(0, ...blockLags)} behind head while waiting`);
} finally {
  await stack.close();
}
