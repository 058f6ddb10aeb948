import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngineError } from './errors.js';
import type { FromEngine, ToEngine } from './process/protocol.js';
import type { LoraRuntimeOptions } from './runtime/lora-runtime.js';
import type { Engine, EngineStats, GenerateOptions, GenerateRequest, GenerateResult } from './types.js';

export interface LocalEngineOptions {
  baseModelId: string;
  runtime: Omit<LoraRuntimeOptions, 'log'>;
  /** Per-request wall-clock limit inside the engine. */
  requestTimeoutMs?: number;
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

interface InFlight {
  resolve: (r: GenerateResult) => void;
  reject: (e: EngineError) => void;
  onText?: (t: string) => void;
  adapters: string[];
}

/** The child entry: compiled JS in production, the TypeScript source (through tsx) in tests and the bench. */
function childEntry(): { file: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./process/engine-child.js', import.meta.url));
  if (existsSync(js)) return { file: js, execArgv: [] };
  return { file: fileURLToPath(new URL('./process/engine-child.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
}

/**
 * Supervises one engine child process (one base model). A crash (llama.cpp abort on a malformed file)
 * fails the requests that were running in it with `engine_crashed`, quarantines the adapters those
 * requests used, and restarts the process; other engines and the gateway are untouched.
 */
export class LocalEngine implements Engine {
  readonly baseModelId: string;
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly statsWaiters = new Map<string, (s: Omit<EngineStats, 'restarts'>) => void>();
  private resident = new Set<string>();
  private readonly quarantined = new Set<string>();
  private closed = false;
  /** Crashes since the last successful start; restarts back off exponentially after the first. */
  private consecutiveCrashes = 0;
  private restartTimer?: NodeJS.Timeout;
  restarts = 0;
  build = 'unknown';

  constructor(private readonly options: LocalEngineOptions) {
    this.baseModelId = options.baseModelId;
  }

  start(): Promise<void> {
    if (!this.ready) {
      if (this.restartTimer) return Promise.reject(new EngineError('engine_unavailable', `the engine for ${this.baseModelId} is restarting after repeated crashes; retry shortly`));
      this.ready = this.spawn();
    }
    return this.ready;
  }

  private spawn(): Promise<void> {
    const { file, execArgv } = childEntry();
    const child = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new EngineError('engine_unavailable', 'engine did not start in time')), this.options.startTimeoutMs ?? 60_000);
      child.on('message', (raw) => {
        const m = raw as FromEngine;
        if (m.t === 'ready') {
          clearTimeout(timer);
          this.build = m.build;
          this.consecutiveCrashes = 0;
          this.options.log?.(`engine ${this.baseModelId}: ready (${m.build}) in ${m.loadMs.toFixed(0)} ms`);
          resolve();
        } else if (m.t === 'fatal') {
          clearTimeout(timer);
          reject(new EngineError('engine_unavailable', `engine failed to load base model: ${m.message}`));
        } else this.onMessage(m);
      });
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        this.onExit(child, code, sig);
        reject(new EngineError('engine_unavailable', `engine exited during start (${sig ?? code})`));
      });
      child.send({ t: 'init', options: this.options.runtime } satisfies ToEngine);
    });
  }

  private onMessage(m: FromEngine): void {
    switch (m.t) {
      case 'text':
        this.inFlight.get(m.id)?.onText?.(m.text);
        return;
      case 'done': {
        const f = this.inFlight.get(m.id);
        this.resident = new Set(m.resident);
        this.inFlight.delete(m.id);
        f?.resolve(m.result);
        return;
      }
      case 'error': {
        const f = this.inFlight.get(m.id);
        this.resident = new Set(m.resident);
        this.inFlight.delete(m.id);
        f?.reject(new EngineError(m.code, m.message));
        return;
      }
      case 'stats':
        this.statsWaiters.get(m.id)?.(m.stats);
        this.statsWaiters.delete(m.id);
        return;
      case 'log':
        this.options.log?.(m.message);
        return;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.ready = null;
    this.resident = new Set();
    const failed = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const f of failed) {
      for (const a of f.adapters) this.quarantined.add(a);
      f.reject(new EngineError('engine_crashed', `the engine process for ${this.baseModelId} died (${signal ?? `exit ${code}`}) while serving this request; adapters ${f.adapters.join(', ') || '(none)'} are quarantined`));
    }
    if (this.closed) return;
    this.restarts++;
    this.consecutiveCrashes++;
    const delay = this.consecutiveCrashes <= 1 ? 0 : Math.min(30_000, 250 * 2 ** (this.consecutiveCrashes - 2));
    this.options.log?.(`engine ${this.baseModelId}: process died (${signal ?? code}), restarting in ${delay} ms`);
    const restart = () => {
      this.restartTimer = undefined;
      if (!this.closed) this.start().catch((e: Error) => this.options.log?.(`engine ${this.baseModelId}: restart failed: ${e.message}`));
    };
    if (delay === 0) restart();
    else {
      this.restartTimer = setTimeout(restart, delay);
      this.restartTimer.unref();
    }
  }

  residentAdapters(): ReadonlySet<string> {
    return this.resident;
  }

  isQuarantined(sha256: string): boolean {
    return this.quarantined.has(sha256.toLowerCase().replace(/^0x/, ''));
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    const adapters = request.adapters.map((a) => a.sha256.toLowerCase().replace(/^0x/, ''));
    const bad = adapters.find((a) => this.quarantined.has(a));
    if (bad) throw new EngineError('adapter_quarantined', `adapter ${bad} crashed the engine before and is not loaded again`);
    if (this.closed) throw new EngineError('engine_unavailable', 'engine closed');
    await this.start();
    const child = this.child;
    if (!child) throw new EngineError('engine_unavailable', 'engine is restarting');
    const id = randomUUID();
    const { signal } = options;
    if (signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
    return new Promise<GenerateResult>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 120_000;
      const cancel = () => child.connected && child.send({ t: 'cancel', id } satisfies ToEngine);
      const timer = setTimeout(() => {
        cancel();
        const f = this.inFlight.get(id);
        this.inFlight.delete(id);
        f?.reject(new EngineError('timeout', `generation exceeded ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.inFlight.set(id, {
        adapters,
        onText: options.onText,
        resolve: (r) => { cleanup(); resolve(r); },
        reject: (e) => { cleanup(); reject(e); },
      });
      child.send({ t: 'generate', id, request, stream: Boolean(options.onText) } satisfies ToEngine);
    });
  }

  pin(sha256: string, pinned: boolean): void {
    this.child?.send({ t: 'pin', sha256, pinned } satisfies ToEngine);
  }

  async stats(): Promise<EngineStats> {
    await this.start();
    const id = randomUUID();
    const s = await new Promise<Omit<EngineStats, 'restarts'>>((resolve) => {
      this.statsWaiters.set(id, resolve);
      this.child?.send({ t: 'stats', id } satisfies ToEngine);
    });
    return { ...s, restarts: this.restarts };
  }

  /** The child's pid (tests use it to check that a crash killed only this engine). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
