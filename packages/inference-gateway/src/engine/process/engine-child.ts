import { toEngineError } from '../errors.js';
import { LoraRuntime } from '../runtime/lora-runtime.js';
import type { FromEngine, ToEngine } from './protocol.js';

/**
 * Entry of an engine child process: one base model, driven over IPC by a LocalEngine supervisor.
 * If llama.cpp aborts on a malformed file, only this process dies.
 */
const send = (m: FromEngine) => process.send?.(m);
let runtime: LoraRuntime | null = null;
const running = new Map<string, AbortController>();

process.on('message', (raw) => {
  const msg = raw as ToEngine;
  switch (msg.t) {
    case 'init': {
      const t0 = performance.now();
      LoraRuntime.create({ ...msg.options, log: (message) => send({ t: 'log', message }) })
        .then((r) => {
          runtime = r;
          send({ t: 'ready', build: r.stats.build, loadMs: performance.now() - t0 });
        })
        .catch((e: Error) => {
          send({ t: 'fatal', message: e.message });
          process.exit(1);
        });
      return;
    }
    case 'generate': {
      const r = runtime;
      if (!r) return send({ t: 'error', id: msg.id, code: 'engine_unavailable', message: 'engine not ready', resident: [] });
      const controller = new AbortController();
      running.set(msg.id, controller);
      r.generate(msg.request, { signal: controller.signal, onText: msg.stream ? (text) => send({ t: 'text', id: msg.id, text }) : undefined })
        .then((result) => send({ t: 'done', id: msg.id, result, resident: r.residentAdapters() }))
        .catch((e: unknown) => {
          const err = toEngineError(e);
          send({ t: 'error', id: msg.id, code: err.code, message: err.message, resident: r.residentAdapters() });
        })
        .finally(() => running.delete(msg.id));
      return;
    }
    case 'cancel':
      running.get(msg.id)?.abort();
      return;
    case 'pin':
      runtime?.pin(msg.sha256, msg.pinned);
      return;
    case 'stats': {
      const r = runtime;
      if (!r) return;
      send({ t: 'stats', id: msg.id, stats: { ...r.stats, loadedAdapters: r.residentAdapters(), loadedAdapterBytes: r.residentBytes() } });
      return;
    }
  }
});
process.on('disconnect', () => process.exit(0));
