// End-to-end: headless Chromium (Debian's, via playwright-core) against anvil with the real stack
// deployed by the real deploy script. Wrap, delegate, propose, vote, queue, execute a parameter
// change; claim a reward; release vested OPEN; axe-core on every page; screenshots and figures in
// test-artifacts/. Run: pnpm --filter @openledger/governance-ui test:e2e
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Contract, JsonRpcProvider, NonceManager, Wallet, parseUnits, type InterfaceAbi } from 'ethers';
import type { Page } from 'playwright-core';
import { abis } from '../../sdk/src/generated/abis.js';
import { RewardTree } from '../../sdk/src/merkle/rewards.js';
import { freePort, startAnvil } from '../../sdk/src/testing/anvil.js';
import { deployStack } from '../../sdk/src/testing/deploy-stack.js';
import { launchChromium } from './browser.js';
import { startDevServer, type E2eStack } from './dev-server.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });
const started = Date.now();
const log = (msg: string) => console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const figures: Record<string, unknown> = {};

const contract = (name: keyof typeof abis, address: string, runner: Wallet | NonceManager | JsonRpcProvider) => new Contract(address, abis[name] as unknown as InterfaceAbi, runner);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

async function waitMined(page: Page, label: string) {
  const mined = page.locator('[data-tx="mined"]', { hasText: label });
  const failed = page.locator('[data-tx="failed"]');
  await Promise.race([
    mined.first().waitFor({ timeout: 60_000 }),
    failed.first().waitFor({ timeout: 60_000 }).then(async () => {
      throw new Error(`transaction "${label}" failed in the UI: ${await failed.first().innerText()}`);
    }),
  ]);
}

async function runAxe(page: Page, name: string, results: Record<string, unknown[]>) {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  })) as { id: string; impact: string }[];
  results[name] = violations;
  for (const v of violations) log(`axe ${name}: ${v.impact} ${v.id}`);
}

async function main() {
  log('starting anvil and deploying the stack (forge script)');
  const anvil = await startAnvil();
  const cleanup: (() => Promise<unknown>)[] = [() => anvil.stop()];
  let passed = false;
  try {
    const deployment = await deployStack(anvil.rpcUrl);
    log(`deployed: governor ${deployment.contracts.OpenGovernor}`);
    const provider = new JsonRpcProvider(anvil.rpcUrl, 31337, { staticNetwork: true });
    const settler = new NonceManager(new Wallet(anvil.accounts[0]!.privateKey, provider));
    const c = deployment.contracts;
    const user = anvil.accounts[0]!.address;

    // Settler: fund epoch 1 and post its reward root (the attribution worker's job in production).
    const tree = RewardTree.of([
      { account: user, cumulativeAmount: parseUnits('1234', 18) },
      { account: anvil.accounts[2]!.address, cumulativeAmount: parseUnits('66', 18) },
    ]);
    const total = parseUnits('1300', 18);
    await (await contract('OpenToken', c.OpenToken, settler).getFunction('approve')(c.AttributionSettlement, total)).wait();
    const settlement = contract('AttributionSettlement', c.AttributionSettlement, settler);
    await (await settlement.getFunction('fund')(1, total)).wait();
    await (await settlement.getFunction('postRoot')(1, tree.root, total, 'ipfs://e2e-epoch-1')).wait();
    // A datanet with a stake and a contribution, a base model and an adapter (read by the Data page).
    const registry = contract('DatanetRegistry', c.DatanetRegistry, settler);
    await (await registry.getFunction('createDatanet')('Medical QA', 'ipfs://medical-qa', parseUnits('100', 18), [anvil.accounts[2]!.address])).wait();
    await (await contract('OpenToken', c.OpenToken, settler).getFunction('approve')(c.DatanetRegistry, parseUnits('500', 18))).wait();
    await (await registry.getFunction('stake')(1, parseUnits('500', 18))).wait();
    await (await registry.getFunction('submitContribution')(1, '0x' + '11'.repeat(32), 10, 'ipfs://batch-1')).wait();
    const models = contract('ModelRegistry', c.ModelRegistry, settler);
    await (await models.getFunction('registerBaseModel')('tiny-base', '0x' + '22'.repeat(32), 'file://tiny-base.gguf')).wait();
    await (await models.getFunction('registerAdapter')(1, 'med-lora', '0x' + '33'.repeat(32), 'file://med-lora.gguf', 8, [1], parseUnits('0.002', 18))).wait();

    const stack: E2eStack = { rpcUrl: anvil.rpcUrl, chainId: 31337, deployment, rewardTrees: [{ epoch: 1, tree }] };

    const port = await freePort();
    const { server, url } = await startDevServer(stack, port);
    cleanup.push(() => server.close());
    const browser = await launchChromium();
    cleanup.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The machine is shared (2 cores, often loaded): generous waits; the suite's usual time is ~40 s.
    page.setDefaultTimeout(60_000);
    cleanup.push(async () => {
      if (!passed) {
        await page.screenshot({ path: `${ARTIFACTS}failure.png`, fullPage: true }).catch(() => undefined);
        console.error(`page at failure (${page.url()}):\n${(await page.locator('main').innerText().catch(() => '')).slice(0, 3000)}`);
      }
    });
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    // Time to interactive: navigation start → the first interactive control enabled.
    const tti = async () => {
      await page.goto(url, { waitUntil: 'commit' });
      const handle = await page.waitForFunction(() => {
        const b = document.querySelector<HTMLButtonElement>('[data-testid="connect-dev"]');
        return b && !b.disabled ? performance.now() : false;
      }, undefined, { timeout: 60_000 });
      return Math.round((await handle.jsonValue()) as number);
    };
    figures.ttiColdMs = await tti();
    figures.ttiWarmMs = await tti();
    log(`time to interactive: cold ${figures.ttiColdMs} ms, warm ${figures.ttiWarmMs} ms`);
    await page.getByTestId('no-wallet').filter({ hasText: 'No browser wallet found' }).waitFor();
    const axeResults: Record<string, unknown[]> = {};
    // axe itself works: a page with an unlabeled image and input must be reported.
    const probe = await browser.newPage();
    await probe.setContent('<html lang="en"><body><main><img src="x.png"><input type="text"></main></body></html>');
    const probeResults: Record<string, unknown[]> = {};
    await runAxe(probe, 'probe', probeResults);
    await probe.close();
    const probeIds = (probeResults.probe as { id: string }[]).map((v) => v.id);
    assert.ok(probeIds.includes('image-alt') && probeIds.includes('label'), `axe probe found ${probeIds.join(', ')}`);
    await runAxe(page, 'start-disconnected', axeResults);

    // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

    // Connect the dev wallet (anvil #0) with the keyboard.
    await page.getByLabel('Dev account').selectOption('0');
    await page.getByTestId('connect-dev').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('account').waitFor();

    // A failing transaction: wrapping more OPEN than the account holds shows the decoded custom error.
    await page.getByLabel('Amount (OPEN / GOPEN)').fill('2000000000');
    await page.getByRole('button', { name: 'Wrap OPEN → GOPEN' }).click();
    const failure = page.locator('[data-tx="failed"]');
    await failure.waitFor({ timeout: 30_000 });
    const failureText = await failure.innerText();
    assert.match(failureText, /ERC20InsufficientBalance/, failureText);
    await shot(page, '01-wrap-failed-decoded');
    log(`failed tx shown: ${failureText}`);

    // Wrap 50M OPEN and delegate to self.
    await page.getByLabel('Amount (OPEN / GOPEN)').fill('50000000');
    await page.getByRole('button', { name: 'Wrap OPEN → GOPEN' }).click();
    await waitMined(page, 'Wrap OPEN → GOPEN');
    await page.getByTestId('gopen-balance').filter({ hasText: '50,000,000' }).waitFor();
    await page.getByRole('button', { name: 'Delegate to myself' }).click();
    await waitMined(page, 'Delegate to yourself');
    await page.getByText('Delegated to: yourself').first().waitFor();
    await page.locator('figcaption', { hasText: 'Your voting power over time' }).waitFor();
    await shot(page, '02-wrapped-delegated');
    await runAxe(page, 'account', axeResults);
    log('wrapped and delegated');

    // A two-call proposal: datanet 1's minimum stake → 250 OPEN (updateDatanet keeps its metadata URI)
    // and the settlement challenge window → 7200 s.
    await page.goto(`${url}#/proposals/new`);
    await page.getByLabel('What to change').selectOption('minStake');
    await page.getByLabel('Datanet id').fill('1');
    await page.getByLabel('New minimum stake (OPEN)').fill('250');
    await page.getByRole('button', { name: 'Preview calls' }).click();
    await page.getByTestId('preview-call').filter({ hasText: 'updateDatanet' }).filter({ hasText: 'minStake=250000000000000000000' }).filter({ hasText: 'ipfs://medical-qa' }).waitFor();
    await page.getByRole('button', { name: 'Add this call' }).click();
    await page.getByLabel('What to change').selectOption('challengeWindow');
    await page.getByLabel('Challenge window (seconds)').fill('7200');
    await page.getByRole('button', { name: 'Add this call' }).click();
    await page.getByTestId('added-call').nth(1).filter({ hasText: 'setChallengeWindow' }).waitFor();
    await page.getByLabel('Title').fill('Shorten the challenge window to two hours, raise the Medical QA minimum stake');
    await page.getByLabel('Description').fill('Rewards become claimable sooner; the guardian still has two hours to revoke a bad root.');
    await runAxe(page, 'new-proposal', axeResults);
    await shot(page, '03-new-proposal');
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await page.waitForURL(/#\/proposals\/\d+$/, { timeout: 30_000 });
    await page.getByTestId('proposal-state').filter({ hasText: 'Pending' }).waitFor();
    await page.getByTestId('decoded-call').filter({ hasText: 'AttributionSettlement' }).filter({ hasText: 'window = 7200' }).waitFor();
    await page.getByTestId('decoded-call').filter({ hasText: 'DatanetRegistry' }).filter({ hasText: 'minStake = 250000000000000000000' }).waitFor();
    const proposalUrl = page.url();
    log(`proposed: ${proposalUrl}`);

    const governor = contract('OpenGovernor', c.OpenGovernor, provider);
    const [delay, period] = [Number(await governor.getFunction('votingDelay')()), Number(await governor.getFunction('votingPeriod')())];
    const timelockDelay = Number(await contract('OpenTimelock', c.OpenTimelock, provider).getFunction('getMinDelay')());
    const travel = async (seconds: number) => {
      await anvil.rpc('evm_increaseTime', [seconds]);
      await anvil.rpc('evm_mine');
    };

    await travel(delay + 1);
    await page.reload();
    await page.getByTestId('proposal-state').filter({ hasText: 'Active' }).waitFor();
    await page.getByLabel('For', { exact: true }).check();
    await page.getByLabel('Reason (optional, stored on chain)').fill('Two hours is enough for the guardian.');
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await waitMined(page, 'Vote for');
    await page.getByTestId('tally').filter({ hasText: 'For 50,000,000' }).waitFor();
    await shot(page, '04-voted');
    await runAxe(page, 'proposal-active', axeResults);
    log('voted');

    await travel(period + 1);
    await page.reload();
    await page.getByTestId('proposal-state').filter({ hasText: 'Succeeded' }).waitFor();
    await page.getByRole('button', { name: 'Queue' }).click();
    await waitMined(page, 'Queue in the Timelock');
    await page.getByTestId('proposal-state').filter({ hasText: 'Queued' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Execute' }).isDisabled(), true, 'Execute must wait for the Timelock');
    await shot(page, '05-queued');
    log('queued');

    await travel(timelockDelay + 1);
    await page.reload();
    await page.getByRole('button', { name: 'Execute' }).and(page.locator(':enabled')).waitFor();
    await page.getByRole('button', { name: 'Execute' }).click();
    await waitMined(page, 'Execute');
    await page.getByTestId('proposal-state').filter({ hasText: 'Executed' }).waitFor();
    await shot(page, '06-executed');
    const window = await contract('AttributionSettlement', c.AttributionSettlement, provider).getFunction('challengeWindow')();
    assert.equal(window, 7200n, 'the executed proposal changed the challenge window on chain');
    const datanet = await contract('DatanetRegistry', c.DatanetRegistry, provider).getFunction('datanet')(1);
    assert.equal(datanet.minStake, parseUnits('250', 18), 'the executed proposal changed the minimum stake');
    assert.equal(datanet.metadataURI, 'ipfs://medical-qa');
    log('executed: challengeWindow is now 7200 s, Medical QA minimum stake 250 OPEN');

    await page.goto(`${url}#/proposals`);
    await page.getByTestId('proposal-state').filter({ hasText: 'Executed' }).waitFor();
    await runAxe(page, 'proposals', axeResults);

    // Datanets and models from the chain.
    await page.goto(`${url}#/data`);
    const datanetRow = page.getByRole('row').filter({ hasText: 'Medical QA' });
    await datanetRow.filter({ hasText: '250 OPEN' }).filter({ hasText: '500 OPEN' }).waitFor();
    await page.getByRole('button', { name: 'Medical QA' }).click();
    await page.getByRole('row').filter({ hasText: 'Pending' }).filter({ hasText: '10' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: 'med-lora' }).filter({ hasText: '0.002 OPEN' }).filter({ hasText: 'tiny-base' }).waitFor();

    // Claim the epoch-1 reward through the UI (proof from the proof API).
    await page.getByTestId('claimable').filter({ hasText: '1,234' }).waitFor();
    await page.getByRole('button', { name: /^Claim 1,234 OPEN$/ }).click();
    await waitMined(page, 'Claim rewards');
    await page.getByTestId('claimed').filter({ hasText: '1,234' }).waitFor();
    const claimed = await contract('AttributionSettlement', c.AttributionSettlement, provider).getFunction('claimed')(user);
    assert.equal(claimed, parseUnits('1234', 18));
    await shot(page, '07-claimed');
    await runAxe(page, 'data', axeResults);
    log('claimed 1234 OPEN');

    // Vesting: release what the community reserve grant vested during the time travel.
    await page.goto(`${url}#/token`);
    await page.getByText('Circulating supply (OPEN unlocked since TGE)').first().waitFor();
    const release = page.getByRole('button', { name: /Release grant #0/ });
    await release.and(page.locator(':enabled')).waitFor();
    const openBefore = await contract('OpenToken', c.OpenToken, provider).getFunction('balanceOf')(user);
    await release.click();
    await waitMined(page, 'Release grant #0');
    const openAfter = await contract('OpenToken', c.OpenToken, provider).getFunction('balanceOf')(user);
    assert.ok(openAfter > openBefore, 'release paid OPEN');
    // Any beneficiary's grants: anvil #1 holds a team grant still inside its 12-month cliff.
    await page.getByLabel('Beneficiary address').fill(anvil.accounts[1]!.address);
    await page.getByRole('heading', { name: 'Grant #1 · team' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Release grant #1' }).isDisabled(), true, 'nothing vested before the cliff');
    await shot(page, '08-token');
    await runAxe(page, 'token', axeResults);
    log('released vested OPEN');

    // An injected EIP-6963 wallet on the wrong chain: warning, switch (adds the chain), then a transaction.
    const injectedAccount = anvil.accounts[3]!.address;
    const walletContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const walletScript = readFileSync(fileURLToPath(new URL('./injected-wallet.js', import.meta.url)), 'utf8');
    await walletContext.addInitScript({ content: `${walletScript}\ninstallInjectedWallet(${JSON.stringify({ rpcUrl: anvil.rpcUrl, account: injectedAccount })});` });
    const walletPage = await walletContext.newPage();
    walletPage.setDefaultTimeout(60_000);
    walletPage.on('pageerror', (e) => consoleErrors.push(String(e)));
    await walletPage.goto(url);
    await walletPage.getByRole('button', { name: 'Connect E2E Wallet' }).click();
    await walletPage.getByRole('alert').filter({ hasText: 'Wrong network (chain 1); this app uses Anvil (e2e) (chain 31337)' }).waitFor();
    await shot(walletPage, '10-injected-wrong-chain');
    await walletPage.getByRole('button', { name: 'Switch to Anvil (e2e)' }).click();
    await walletPage.getByText('Wrong network').waitFor({ state: 'detached' });
    // A revert through the wallet (anvil estimates gas for eth_sendTransaction) is decoded too.
    await walletPage.getByLabel('Amount (OPEN / GOPEN)').fill('1');
    await walletPage.getByRole('button', { name: 'Wrap OPEN → GOPEN' }).click();
    const walletFailure = walletPage.locator('[data-tx="failed"]');
    await walletFailure.waitFor({ timeout: 30_000 });
    assert.match(await walletFailure.innerText(), /ERC20InsufficientBalance\(sender: 0x90F79bf6EB2c4f870365E785982E1f101E93b906, balance: 0, needed: 1000000000000000000\)/);
    await walletPage.getByRole('button', { name: 'Delegate to myself' }).click();
    await waitMined(walletPage, 'Delegate to yourself');
    const delegatee = await contract('GOpenToken', c.GOpenToken, provider).getFunction('delegates')(injectedAccount);
    assert.equal(delegatee, injectedAccount, 'the injected wallet signed the delegation');
    await shot(walletPage, '11-injected-delegated');
    await walletContext.close();
    log('injected wallet: wrong chain → switched → delegated');

    // Phone width: every page readable without horizontal scrolling of the page itself.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ['', '#/proposals', '#/token', '#/data']) {
      await page.goto(`${url}${route}`);
      await page.locator('h1').first().waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      );
      assert.ok(overflow <= 1, `page ${route || '/'} overflows a 390 px screen by ${overflow} px: ${wide.join(', ')}`);
      await shot(page, `09-phone-${route.replace(/[#/]/g, '') || 'account'}`);
    }

    writeFileSync(`${ARTIFACTS}axe.json`, JSON.stringify(axeResults, null, 2));
    const serious = Object.entries(axeResults).flatMap(([p, vs]) => (vs as { id: string; impact: string }[]).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${p}: ${v.id}`));
    figures.axeViolations = Object.values(axeResults).reduce((n, vs) => n + vs.length, 0);
    assert.deepEqual(serious, [], `axe found serious/critical issues: ${serious.join(', ')}`);
    assert.deepEqual(consoleErrors, [], `page errors: ${consoleErrors.join('\n')}`);
    figures.e2eSeconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(`${ARTIFACTS}figures.json`, JSON.stringify(figures, null, 2));
    passed = true;
    log(`passed; figures ${JSON.stringify(figures)}`);
  } finally {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
