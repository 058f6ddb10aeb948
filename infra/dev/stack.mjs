#!/usr/bin/env node
// The one-machine dev stack: anvil (state kept in .data/anvil), the contracts with the demo
// distribution (deployed once per chain state), the demo base model and two LoRA adapters, the three
// services as child processes, the dashboard, and demo data so the first request works.
// Redis and Postgres/PGlite are chosen by scripts/dev.sh (REDIS_URL, DATABASE_URL). Ctrl-C stops
// every child; running it again keeps the chain, the databases and the seed.
//
//   node infra/dev/stack.mjs            # start and stay up
//   node infra/dev/stack.mjs --check    # start, seed, make one completion, stop
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeUrls, stackConfig } from './lib/config.mjs';
import { startStack, stopStack } from './lib/runner.mjs';
import { firstCompletion } from './lib/seed.mjs';
import { serveStatic } from './lib/static-server.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const started = Date.now();
const args = new Set(process.argv.slice(2));
const log = (message) => process.stdout.write(`\x1b[1;34m[stack]\x1b[0m ${message}\n`);

let stack;
let dashboard;
let shuttingDown = false;

async function shutdown(code, reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) log(reason);
  log('stopping: dashboard, services, then anvil (it saves the chain on exit)');
  if (dashboard) {
    dashboard.closeAllConnections?.();
    await new Promise((r) => dashboard.close(() => r()));
  }
  if (stack) await stopStack(stack);
  log('stopped');
  process.exit(code);
}

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) {
      log('second interrupt: killing every child now');
      process.exit(130); // the process group's exit hook SIGKILLs every child
    }
    void shutdown(0, `${signal}: shutting down (Ctrl-C again to kill)`);
  });
}

async function main() {
  const config = stackConfig(process.env, ROOT);
  stack = await startStack({
    config,
    log,
    quiet: args.has('--quiet') || args.has('--check'),
    onUnexpectedExit: (name, status, tail) => {
      const last = String(tail).trim().split('\n').slice(-20).join('\n');
      void shutdown(1, `${name} exited unexpectedly (${status}):\n${last}\nlogs: ${join(config.dataDir, 'logs', `${name}.log`)}`);
    },
  });
  dashboard = await serveStatic({
    root: config.dashboard.distDir,
    host: config.host,
    port: config.dashboard.port,
    documents: {
      // The dashboard reads config.json next to its index.html (packages/governance-ui/src/config.ts).
      '/config.json': {
        chainId: config.chainId,
        chainName: 'OpenLedger dev (anvil)',
        rpcUrl: config.urls.rpc,
        gatewayUrl: config.urls.gateway,
        datanetServiceUrl: config.urls.datanet,
        attributionUrl: config.urls.attribution,
        deployment: stack.deployment,
      },
      '/deployments.json': stack.deployment,
    },
  });
  if (!existsSync(join(config.dashboard.distDir, 'index.html'))) log('dashboard bundle not built: pnpm --filter @openledger/governance-ui build');

  const completion = await firstCompletion({ config, seed: stack.seed });
  log(`first completion through ${stack.seed.adapterModels[0]} in ${completion.ms} ms: ${JSON.stringify(completion.text)}`);
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`\n${describeUrls(config, stack.seed).map((line) => `  ${line}`).join('\n')}\n\n`);
  if (args.has('--check')) await shutdown(0, 'check done');
  else log('Ctrl-C stops everything; ./scripts/dev.sh starts it again with the same chain and data');
}

main().catch(async (error) => {
  process.stderr.write(`\x1b[1;31m[stack]\x1b[0m ${error?.stack ?? error}\n`);
  await shutdown(1);
});
