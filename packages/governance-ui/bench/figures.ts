// Figures for the README, run by hand: pnpm --filter @openledger/governance-ui bench
// 1. production bundle, first load gzipped; 2. time to interactive on the dev stack (anvil + the
// deployed contracts + the Vite dev server): navigation start → first interactive control enabled.
import { deployStack } from '../../sdk/src/testing/deploy-stack.js';
import { freePort, startAnvil } from '../../sdk/src/testing/anvil.js';
import { launchChromium } from '../e2e/browser.js';
import { startDevServer, startPreviewServer } from '../e2e/dev-server.js';
import { checkBundle } from '../scripts/check-bundle.js';

/** Navigation start → `selector` present and enabled (performance.now() in the page), cold then median of 5 warm. */
async function measure(url: string, selector: string): Promise<{ cold: number; warm: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const load = async () => {
      await page.goto(url, { waitUntil: 'commit' });
      const h = await page.waitForFunction(
        (sel) => {
          const el = document.querySelector<HTMLButtonElement>(sel);
          return el && !el.disabled ? performance.now() : false;
        },
        selector,
        { timeout: 60_000 },
      );
      return (await h.jsonValue()) as number;
    };
    const cold = await load();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await load());
    warm.sort((a, b) => a - b);
    return { cold: Math.round(cold), warm: Math.round(warm[2]!) };
  } finally {
    await browser.close();
  }
}

const anvil = await startAnvil();
try {
  const deployment = await deployStack(anvil.rpcUrl);
  const stack = { rpcUrl: anvil.rpcUrl, chainId: 31337, deployment, rewardTrees: [] };
  const dev = await startDevServer(stack, await freePort());
  const devTti = await measure(dev.url, '[data-testid="connect-dev"]');
  await dev.server.close();
  console.log(`time to interactive, dev server + anvil, cold (Vite transforms on first request): ${devTti.cold} ms`);
  console.log(`time to interactive, dev server + anvil, warm (median of 5): ${devTti.warm} ms`);

  // vite build sets NODE_ENV=production for the rest of the process: measure the dev server first.
  const bundle = await checkBundle();
  console.log(`bundle first load (gzip): ${(bundle.firstLoadGzip / 1024).toFixed(1)} kB`);
  console.log(`bundle all chunks (gzip): ${(bundle.totalGzip / 1024).toFixed(1)} kB`);

  // Production build (no dev wallet): the first control is the first nav link, rendered once config.json
  // and the deployment are loaded and validated.
  const prod = await startPreviewServer(stack, await freePort());
  const prodTti = await measure(prod.url, 'nav a[href="#/"]');
  await prod.server.close();
  console.log(`time to interactive, production build + anvil, cold: ${prodTti.cold} ms`);
  console.log(`time to interactive, production build + anvil, warm (median of 5): ${prodTti.warm} ms`);
} finally {
  await anvil.stop();
}
