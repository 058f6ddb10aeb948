import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServer, preview, type Connect, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import type { RewardTree } from '../../sdk/src/merkle/rewards.js';

export interface E2eStack {
  rpcUrl: string;
  chainId: number;
  deployment: unknown;
  /** Reward trees by epoch, answered at `/e2e-attribution/v1/rewards/:account[/proof]`. */
  rewardTrees: { epoch: number; tree: RewardTree }[];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', status >= 400 ? 'application/problem+json' : 'application/json');
  res.end(JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

/**
 * Serves `config.json` for the test chain, and the proof API's wire format from the reward trees the
 * test posted on chain (the attribution worker is not part of this package's test stack).
 */
function e2ePlugin(stack: E2eStack): Plugin {
  return {
    name: 'governance-ui-e2e',
    configureServer(server) {
      server.middlewares.use(middleware(stack));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(stack));
    },
  };
}

function middleware(stack: E2eStack): Connect.NextHandleFunction {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = req.url ?? '';
    if (url.startsWith('/config.json')) {
      return json(res, 200, {
        chainId: stack.chainId,
        chainName: 'Anvil (e2e)',
        rpcUrl: stack.rpcUrl,
        deployment: stack.deployment,
        attributionUrl: `http://${req.headers.host}/e2e-attribution`,
      });
    }
    // The attribution worker's wire format (packages/attribution-worker/src/routes/rewards.ts).
    const match = /^\/e2e-attribution\/v1\/rewards\/(0x[0-9a-fA-F]{40})(\/proof)?$/.exec(url);
    if (match) {
      const account = match[1]!;
      const trees = [...stack.rewardTrees].sort((a, b) => a.epoch - b.epoch);
      const mine = trees.map(({ epoch, tree }) => ({ epoch, tree, claim: tree.claimFor(account) })).filter((t) => t.claim);
      if (!match[2]) {
        return json(res, 200, {
          account,
          epochs: mine.map((t, i) => ({
            epoch: t.epoch,
            chainEpoch: t.epoch,
            state: 'posted',
            cumulativeAmount: t.claim!.cumulativeAmount,
            amount: t.claim!.cumulativeAmount - (i > 0 ? mine[i - 1]!.claim!.cumulativeAmount : 0n),
          })),
        });
      }
      const latest = mine[mine.length - 1];
      if (!latest) return json(res, 404, { type: 'about:blank', title: 'Not Found', status: 404, detail: `account ${account} has no reward` });
      return json(res, 200, {
        account: latest.claim!.account,
        epoch: latest.epoch,
        chainEpoch: latest.epoch,
        root: latest.tree.root,
        cumulativeAmount: latest.claim!.cumulativeAmount,
        proof: latest.claim!.proof,
        claim: { to: null, data: '0x' },
      });
    }
    next();
  };
}

export async function startDevServer(stack: E2eStack, port: number): Promise<{ server: ViteDevServer; url: string }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server = await createServer({
    root,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    plugins: [e2ePlugin(stack)],
    server: { port, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Serves the production build in dist/ (run `vite build` first) with the same config.json. */
export async function startPreviewServer(stack: E2eStack, port: number): Promise<{ server: PreviewServer; url: string }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server = await preview({
    root,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    plugins: [e2ePlugin(stack)],
    preview: { port, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  return { server, url: `http://127.0.0.1:${port}/` };
}
