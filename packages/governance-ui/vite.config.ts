/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Dev server only: serves `/deployment.json` from DEPLOYMENTS_FILE (default: the contracts package's
 * `deployments/<CHAIN_ID or 31337>.json`), so `pnpm dev` follows whatever the dev stack deployed.
 * Production serves its own `deployment.json` next to `index.html`.
 */
function devDeployment(): Plugin {
  return {
    name: 'openledger-dev-deployment',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use('/deployment.json', (_req, res) => {
        const file = process.env.DEPLOYMENTS_FILE ?? here(`../contracts/deployments/${process.env.CHAIN_ID ?? '31337'}.json`);
        try {
          res.setHeader('content-type', 'application/json');
          res.end(readFileSync(file));
        } catch (error) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: `no deployment file at ${file}: ${(error as Error).message}` }));
        }
      });
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [react(), devDeployment()],
  // The development wallet exists only on the dev server (and in Vitest), never in `vite build` —
  // whatever NODE_ENV says (a build with NODE_ENV=development would otherwise keep import.meta.env.DEV).
  define: { __DEV_WALLET__: JSON.stringify(command === 'serve') },
  resolve: {
    // The sdk's main entry from source (browser-safe by contract; the bundle check in `test` builds
    // it): no stale dist while the sdk changes, and Vite tree-shakes what the UI does not use.
    alias: [{ find: /^@openledger\/sdk$/, replacement: here('../sdk/src/index.ts') }],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: { host: '127.0.0.1' },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/setup.ts'],
  },
}));
