import { startTestStack, type TestStack } from './harness.js';
import { collectionsFrom, complete, expectedContributorReward, setUpLoop, waitForProof, type LoopSetup } from './loop-steps.js';
// @ts-expect-error plain ESM module without types
import { claim } from '../../../infra/dev/lib/actions.mjs';
// @ts-expect-error plain ESM module without types
import { eventually } from '../../../infra/dev/lib/clients.mjs';
// @ts-expect-error plain ESM module without types
import { killService, startAnvilAgain, startService, stopAnvil, waitServiceReady } from '../../../infra/dev/lib/runner.mjs';

// Faults during the loop: the test's own Redis, its own Postgres cluster (when initdb is installed;
// PGlite otherwise, which lives inside each service) and the RPC node are stopped while a request is
// in flight and brought back; the attribution worker is killed with SIGKILL and restarted. Afterwards every request that succeeded is charged exactly once and the
// contributor's claim pays exactly the reward computed from what was collected.
describe('faults during the loop', () => {
  let t: TestStack;
  let setup: LoopSetup;
  const fees: bigint[] = [];
  const outcomes: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    t = await startTestStack({ epochSeconds: 20, privatePostgres: true });
    setup = await setUpLoop(t);
    fees.push((await complete(setup, 'warm up')).feeWei);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    process.stdout.write(`fault tests: ${((Date.now() - started) / 1000).toFixed(1)} s; outcomes: ${outcomes.join('; ')}\n`);
  });

  /** Sends a request, takes `component` down for `downMs` while it is in flight, brings it back. */
  async function inFlightAcross(component: string, stop: () => Promise<void>, start: () => Promise<void>, downMs = 4000): Promise<void> {
    await stop();
    const inFlight = complete(setup, `question asked while ${component} is down`).then(
      (r) => ({ ok: true as const, fee: r.feeWei }),
      (e: Error) => ({ ok: false as const, error: e.message }),
    );
    await new Promise((r) => setTimeout(r, downMs));
    await start();
    const result = await inFlight;
    if (result.ok) fees.push(result.fee);
    outcomes.push(`${component}: request in flight ${result.ok ? 'completed after recovery' : `failed cleanly (${result.error.slice(0, 80)})`}`);
    // the system recovers by itself: the next request succeeds without restarting any service
    const next = await eventually(`a completion after ${component} came back`, () => complete(setup, `after ${component}`).catch(() => undefined), {
      timeoutMs: 60_000,
      intervalMs: 1000,
    });
    fees.push(next.feeWei);
  }

  it('Redis stopped and restarted: queued usage events and jobs survive (append-only file)', async () => {
    if (!t.redis) throw new Error('redis-server is not installed: the fault test needs its own Redis');
    await inFlightAcross('redis', () => t.redis!.stop(), () => t.redis!.start());
  }, 120_000);

  it('Postgres stopped and restarted under the services', async () => {
    if (!t.postgres) {
      outcomes.push('postgres: no initdb on this machine, services ran on PGlite (nothing to stop)');
      expect(t.stack.config.databaseUrl ?? 'pglite').toBeDefined();
      return;
    }
    await inFlightAcross('postgres', () => t.postgres!.stop(), () => t.postgres!.start());
  }, 120_000);

  it('RPC node (anvil) stopped and restarted from its saved state', async () => {
    const blockBefore = await t.ctx.actors.provider.getBlockNumber();
    await inFlightAcross('anvil', () => stopAnvil(t.stack), () => startAnvilAgain(t.stack).then(() => undefined));
    expect(await t.ctx.actors.provider.getBlockNumber()).toBeGreaterThanOrEqual(blockBefore);
  }, 120_000);

  it('attribution worker killed (SIGKILL) while usage is pending and the epoch settles, then restarted', async () => {
    fees.push((await complete(setup, 'just before the worker crashes')).feeWei);
    await killService(t.stack, 'attribution-worker');
    fees.push((await complete(setup, 'while the worker is down')).feeWei); // the gateway keeps serving
    await new Promise((r) => setTimeout(r, 3000));
    startService(t.stack, 'attribution-worker');
    await waitServiceReady(t.stack, 'attribution-worker');
    outcomes.push('attribution-worker: killed and restarted, requests served meanwhile');
  }, 120_000);

  it('after the faults, every successful request is charged once and the claim pays exactly the computed reward', async () => {
    const { read, wallets } = t.ctx.actors;
    const billed = fees.reduce((a, b) => a + b, 0n);
    const collected = await eventually(
      'every successful request collected',
      async () => {
        const amounts = await collectionsFrom(t, wallets.caller.address);
        return amounts.reduce((a: bigint, b: bigint) => a + b, 0n) >= billed ? amounts : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    expect(collected.reduce((a: bigint, b: bigint) => a + b, 0n)).toBe(billed);
    const expected = await expectedContributorReward(t, collected);
    const proof = await waitForProof(t, wallets.contributor.address, expected, 180_000);
    expect(BigInt(proof.cumulativeAmount)).toBe(expected);
    const paid = await claim(t.ctx.actors, 'contributor', { cumulativeAmount: BigInt(proof.cumulativeAmount), proof: proof.proof });
    expect(paid).toBe(expected);
    expect(await read.AttributionSettlement.claimed(wallets.contributor.address)).toBe(expected);
    expect(t.exits).toEqual([]); // no service crashed on the way
  }, 300_000);
});
