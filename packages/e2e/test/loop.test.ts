import { startTestStack, type TestStack } from './harness.js';
import { collectionsFrom, complete, expectedContributorReward, setUpLoop, waitForProof, type LoopSetup } from './loop-steps.js';
// @ts-expect-error plain ESM module without types
import { claim } from '../../../infra/dev/lib/actions.mjs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './harness.js';
// @ts-expect-error plain ESM module without types
import { eventually } from '../../../infra/dev/lib/clients.mjs';

// The whole loop on the dev stack: stake and upload, accept, register an adapter, deposit and
// authorize, call the model with the openai client, settle the epoch, claim the exact reward.
describe('end-to-end loop', () => {
  let t: TestStack;
  let setup: LoopSetup;
  const started = Date.now();

  beforeAll(async () => {
    t = await startTestStack({ epochSeconds: 15 });
  }, 240_000);

  afterAll(async () => {
    await t?.close();
    process.stdout.write(`e2e loop: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  it("lets the dashboard's origin call every service from a browser (CORS), and no other origin", async () => {
    const origin = t.config.urls.dashboard as string;
    for (const base of [t.config.urls.gateway, t.config.urls.datanet, t.config.urls.attribution] as string[]) {
      const res = await fetch(`${base}/healthz`, { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      const preflight = await fetch(`${base}/v1/anything`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
      const stranger = await fetch(`${base}/healthz`, { headers: { origin: 'https://elsewhere.example' } });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    }
    const models = await fetch(`${t.config.urls.gateway}/v1/models`, { headers: { origin } });
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('contributor stakes and uploads, curator accepts, owner registers, caller deposits and authorizes', async () => {
    setup = await setUpLoop(t);
    expect(setup.model).toBe(`adapter-${setup.adapterId}`);
  }, 180_000);

  it('the caller uses the model with the openai client, is charged once, and the contributor claims exactly the computed reward', async () => {
    const { read, wallets } = t.ctx.actors;
    const fees: bigint[] = [];
    const usageIds: string[] = [];
    for (const prompt of ['How do I reset my password?', 'When are refunds processed?']) {
      const result = await complete(setup, prompt);
      fees.push(result.feeWei);
      usageIds.push(...result.usageIds);
    }
    // retrieval mode: once the accepted records are embedded, the gateway asks the attribution worker for
    // the nearest ones, puts them in front of the prompt, cites them, and the usage event names them
    await eventually(
      'accepted records embedded for retrieval',
      async () => {
        const res = await fetch(`${t.config.urls.attribution}/v1/datanets/${setup.datanetId}/retrieve?q=refund&k=1`);
        const body = (await res.json()) as { records?: unknown[] };
        return res.ok && (body.records?.length ?? 0) > 0 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const retrieved = await complete(setup, 'When are refunds processed?', { datanet_id: setup.datanetId, k: 2 });
    expect(retrieved.citations.length).toBeGreaterThan(0);
    for (const [i, citation] of retrieved.citations.entries()) {
      expect(citation.index).toBe(i + 1);
      expect(citation.contribution_id).toBe(setup.contributionId);
      expect(citation.contributor).toBe(wallets.contributor.address.toLowerCase());
    }
    fees.push(retrieved.feeWei);
    usageIds.push(...retrieved.usageIds);
    // a datanet the model was not trained on is refused before anything runs or is charged
    await expect(complete(setup, 'hello', { datanet_id: '999999' })).rejects.toMatchObject({ status: 400 });
    const billed = fees.reduce((a, b) => a + b, 0n);

    // each inference is attributed to the one accepted contribution behind the adapter
    for (const usageId of usageIds) {
      const attribution = await eventually(`attribution of ${usageId}`, () => t.ctx.attribution.usage(usageId).catch(() => undefined), { timeoutMs: 60_000 });
      expect(attribution.scores.length).toBeGreaterThan(0);
      for (const score of attribution.scores) {
        expect(score.contributionId).toBe(setup.contributionId);
        expect(score.contributor).toBe(wallets.contributor.address);
      }
    }

    // the epoch closes, the worker collects the fees under the caller's authorization and posts a root
    const collected = await eventually(
      'fees collected from the caller',
      async () => {
        const amounts = await collectionsFrom(t, wallets.caller.address);
        return amounts.reduce((a: bigint, b: bigint) => a + b, 0n) >= billed ? amounts : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );
    expect(collected.reduce((a: bigint, b: bigint) => a + b, 0n)).toBe(billed); // every request charged, none twice
    expect(await read.FeeEscrow.balanceOf(wallets.caller.address)).toBe(100n * 10n ** 18n - billed);

    const expected = await expectedContributorReward(t, collected);
    expect(expected).toBeGreaterThan(0n);
    const proof = await waitForProof(t, wallets.contributor.address, expected);
    expect(BigInt(proof.cumulativeAmount)).toBe(expected);

    // the contributor claims with the CLI, as a user would: it finds the newest claimable root holding the
    // account through the attribution service and the chain
    const before = await read.OpenToken.balanceOf(wallets.contributor.address);
    const claimed = runCli(t, ['rewards', 'claim']);
    expect(claimed.stderr).toMatch(/claiming for 0x[0-9a-fA-F]{40} against chain epoch \d+/);
    expect(claimed.status).toBe(0);
    expect((await read.OpenToken.balanceOf(wallets.contributor.address)) - before).toBe(expected);
    expect(await read.AttributionSettlement.claimed(wallets.contributor.address)).toBe(expected);
    const again = runCli(t, ['rewards', 'claim']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^nothing to claim: .* already claimed/);
    wallets.contributor.reset(); // the CLI sent from the same key
    // a second claim with the same proof is refused and pays nothing
    const balance = await read.OpenToken.balanceOf(wallets.contributor.address);
    await expect(claim(t.ctx.actors, 'contributor', { cumulativeAmount: BigInt(proof.cumulativeAmount), proof: proof.proof })).rejects.toThrow(
      /SettlementNothingToClaim|revert/,
    );
    expect(await read.OpenToken.balanceOf(wallets.contributor.address)).toBe(balance);
    expect(await read.AttributionSettlement.claimed(wallets.contributor.address)).toBe(expected);
    expect(t.exits).toEqual([]);
  }, 240_000);
});

/** Runs the built `openledger` CLI as the contributor against the test stack. */
function runCli(t: TestStack, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, OPENLEDGER_PRIVATE_KEY: t.config.keys.contributor, OPENLEDGER_REWARDS_URL: t.config.urls.attribution, OPENLEDGER_RPC_URL: t.config.urls.rpc };
  const r = spawnSync(process.execPath, [join(REPO, 'packages', 'cli', 'bin', 'openledger.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
