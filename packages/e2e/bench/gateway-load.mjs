// Load held by the inference gateway in front of the demo engine (tiny GGUF base model + LoRA
// adapter, CPU): autocannon on loopback against /v1/chat/completions at rising concurrency; prints
// requests/s and latency percentiles per level, then the best throughput with p99 under 1 s.
//
//   node bench/gateway-load.mjs                      # starts its own dev stack in a temp folder
//   GATEWAY_URL=http://127.0.0.1:8080 API_KEY=… MODEL=adapter-1 node bench/gateway-load.mjs   # a running stack
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackConfig } from '../../../infra/dev/lib/config.mjs';
import { startStack, stopStack } from '../../../infra/dev/lib/runner.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const duration = Number(process.env.BENCH_SECONDS ?? 15);
const levels = (process.env.BENCH_CONNECTIONS ?? '1,2,4,8,16').split(',').map(Number);
const maxTokens = Number(process.env.BENCH_MAX_TOKENS ?? 8);

let stack;
let dataDir;
let target = { url: process.env.GATEWAY_URL, key: process.env.API_KEY, model: process.env.MODEL };
if (!target.url) {
  dataDir = mkdtempSync(join(tmpdir(), 'openledger-bench-'));
  const port = (n) => String(20000 + Math.floor(Math.random() * 20000) + n);
  const config = stackConfig(
    { ...process.env, OPENLEDGER_DATA_DIR: dataDir, ANVIL_PORT: port(0), GATEWAY_PORT: port(1), DATANET_PORT: port(2), ATTRIBUTION_PORT: port(3), DASHBOARD_PORT: port(4), LOG_LEVEL: 'warn' },
    ROOT,
  );
  stack = await startStack({ config, quiet: true, seed: 'all', log: (m) => process.stderr.write(`${m}\n`) });
  target = { url: config.urls.gateway, key: stack.seed.apiKey, model: stack.seed.adapterModels[0] };
}

const body = JSON.stringify({ model: target.model, messages: [{ role: 'user', content: 'How do I reset my password?' }], max_tokens: maxTokens, temperature: 0 });
const results = [];
try {
  // warm up: both engine contexts load the adapter and the prompt path is compiled before measuring
  await autocannon({
    url: `${target.url}/v1/chat/completions`,
    method: 'POST',
    headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
    body,
    connections: 2,
    amount: 10,
    timeout: 60,
  });
  for (const connections of levels) {
    const result = await autocannon({
      url: `${target.url}/v1/chat/completions`,
      method: 'POST',
      headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
      body,
      connections,
      duration,
      timeout: 30,
    });
    const ok = result['2xx'];
    const line = {
      connections,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok,
      errors: result.errors + result.timeouts + result.non2xx,
    };
    results.push(line);
    const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(' ');
    if (line.errors > 0) {
      const probe = await fetch(`${target.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' }, body }).catch((e) => ({ status: 'no answer', text: async () => e.message }));
      console.log(`  statuses ${statuses || 'none'}; errors ${result.errors}, timeouts ${result.timeouts}; a request now: ${probe.status} ${(await probe.text()).slice(0, 200)}`);
    }
    console.log(`gateway load c=${connections}: ${line.rps.toFixed(1)} req/s, p50 ${line.p50} ms, p99 ${line.p99} ms, ${ok} ok, ${line.errors} errors/non-2xx (max_tokens ${maxTokens}, ${duration} s)`);
  }
  const held = results.filter((r) => r.p99 < 1000 && r.errors === 0).sort((a, b) => b.rps - a.rps)[0];
  console.log(held ? `gateway load held at p99 < 1 s: ${held.rps.toFixed(1)} req/s (c=${held.connections}, p99 ${held.p99} ms)` : 'gateway load held at p99 < 1 s: none of the levels');
} finally {
  if (stack) await stopStack(stack);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
