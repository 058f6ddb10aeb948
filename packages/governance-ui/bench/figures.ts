// Figures for the README, run by hand: pnpm --filter @openledger/governance-ui bench
// 1. production bundle, first load gzipped; 2. time to interactive on the dev stack (anvil + the
// deployed contracts + the Vite dev server): navigation start → first interactive control enabled.
import { deployStack } from '../../sdk/src/testing/deploy-stack.js';
import { freePort, startAnvil } from '../../sdk/src/testing/anvil.js';
import { launchChromium } from '../e2e/browser.js';
import { startDevServer } from '../e2e/dev-server.js';
import { checkBundle } from '../scripts/check-bundle.js';

const anvil = await startAnvil();
try {
  const deployment = await deployStack(anvil.rpcUrl);
  const { server, url } = await startDevServer({ rpcUrl: anvil.rpcUrl, chainId: 31337, deployment, rewardTrees: [] }, await freePort());
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const load = async () => {
      await page.goto(url, { waitUntil: 'commit' });
      const h = await page.waitForFunction(() => {
        const b = document.querySelector<HTMLButtonElement>('[data-testid="connect-dev"]');
        return b && !b.disabled ? performance.now() : false;
      }, undefined, { timeout: 60_000 });
      return (await h.jsonValue()) as number;
    };
    const cold = await load();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await load());
    warm.sort((a, b) => a - b);
    console.log(`time to interactive, dev stack, cold (first load, Vite transforms): ${Math.round(cold)} ms`);
    console.log(`time to interactive, dev stack, warm (median of 5): ${Math.round(warm[2]!)} ms`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await anvil.stop();
}

// After the dev-server measurement: vite build sets NODE_ENV=production for the rest of the process.
const bundle = await checkBundle();
console.log(`bundle first load (gzip): ${(bundle.firstLoadGzip / 1024).toFixed(1)} kB`);
console.log(`bundle all chunks (gzip): ${(bundle.totalGzip / 1024).toFixed(1)} kB`);
