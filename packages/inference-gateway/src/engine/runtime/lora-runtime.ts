import { stat } from 'node:fs/promises';
import {
  getLlama,
  LlamaCompletion,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { EngineError } from '../errors.js';
import type { AdapterRef, EngineStats, GenerateOptions, GenerateRequest, GenerateResult } from '../types.js';
import { AdapterLru } from './adapter-lru.js';
import { AdapterStore, normalizeSha256 } from './adapter-store.js';
import type { S3SourceOptions } from './s3-source.js';
import { chooseGpu } from './gpu.js';
import { loadLora, setContextLoras, unloadLora } from './llama-internals.js';

export interface LoraRuntimeOptions {
  modelPath: string;
  /** Fixed pool of contexts; an adapter set applies to a whole context, so each holds one sequence. */
  contexts: number;
  contextSize: number;
  threads: number;
  cacheDir: string;
  allowedLocalDirs: string[];
  maxAdapterBytes: number;
  /** Where `s3://bucket/key` adapter URIs are read from. */
  s3?: S3SourceOptions;
  /** Hosts an http(s) adapter URL may name although they resolve to loopback or private addresses. */
  allowPrivateHosts?: string[];
  /** Byte budget of resident adapters (LRU beyond it). */
  adapterMemoryBytes: number;
  maxResidentAdapters?: number;
  pinnedAdapters?: string[];
  /**
   * Hot adapters are pinned automatically: one used at least `hits` times within a `windowMs` window stays
   * pinned (up to `max` of them) while it keeps that rate. Default 20 hits / 60 s, max 8.
   */
  hotPinning?: { hits: number; windowMs: number; max: number };
  /** Force the CPU build even on a GPU host. */
  forceCpu?: boolean;
  log?: (msg: string) => void;
}

interface Slot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
  /** Adapter set currently applied, as "sha:scale|sha:scale". */
  adapterKey: string;
  busy: boolean;
}

const adapterKey = (adapters: { sha256: string; scale: number }[]) => adapters.map((a) => `${a.sha256}:${a.scale}`).join('|');

/**
 * One base model, loaded once, a fixed pool of contexts and the adapters switched onto them per request.
 * Runs inside the engine child process (and directly in the bench).
 */
export class LoraRuntime {
  readonly stats: Omit<EngineStats, 'loadedAdapters' | 'loadedAdapterBytes' | 'restarts'>;
  private readonly lru: AdapterLru;
  private readonly loading = new Map<string, Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly configuredPins: Set<string>;
  private readonly hotPins = new Set<string>();
  private windowHits = new Map<string, number>();
  private windowStart = Date.now();

  private constructor(
    private readonly llama: Llama,
    readonly model: LlamaModel,
    private readonly slots: Slot[],
    private readonly store: AdapterStore,
    private readonly options: LoraRuntimeOptions,
    build: string,
  ) {
    this.lru = new AdapterLru(options.adapterMemoryBytes, options.maxResidentAdapters);
    this.configuredPins = new Set((options.pinnedAdapters ?? []).map(normalizeSha256));
    for (const p of this.configuredPins) this.lru.pin(p, true);
    this.stats = { baseModelLoads: 1, adapterLoads: 0, adapterEvictions: 0, adapterCacheHits: 0, adapterCacheMisses: 0, build };
  }

  static async create(options: LoraRuntimeOptions): Promise<LoraRuntime> {
    const choice = await chooseGpu(options.forceCpu ?? false);
    // build: 'never' — only the prebuilt binaries shipped in npm packages; nothing is compiled or downloaded.
    const load = (gpu: 'cuda' | false) => getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: options.threads });
    let llama: Llama;
    try {
      llama = await load(choice.gpu);
    } catch (e) {
      if (choice.gpu === false) throw e;
      choice.reason = `the CUDA build failed to load (${(e as Error).message}); falling back to the CPU build`;
      llama = await load(false);
    }
    const build = `${llama.buildType}-${llama.gpu === false ? 'cpu' : llama.gpu}`;
    options.log?.(`engine: llama.cpp ${build} build (${choice.reason}), threads=${options.threads}`);
    const model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: llama.gpu === false ? 0 : 'auto' });
    const slots: Slot[] = [];
    for (let i = 0; i < options.contexts; i++) {
      const context = await model.createContext({ contextSize: options.contextSize, sequences: 1, threads: options.threads, batchSize: Math.min(512, options.contextSize) });
      const sequence = context.getSequence();
      slots.push({ context, sequence, completion: new LlamaCompletion({ contextSequence: sequence }), adapterKey: '', busy: false });
    }
    const store = new AdapterStore({ cacheDir: options.cacheDir, allowedLocalDirs: options.allowedLocalDirs, maxAdapterBytes: options.maxAdapterBytes, s3: options.s3, allowPrivateHosts: options.allowPrivateHosts });
    return new LoraRuntime(llama, model, slots, store, options, build);
  }

  residentAdapters(): string[] {
    return this.lru.keys();
  }

  residentBytes(): number {
    return this.lru.totalBytes;
  }

  pin(sha256: string, pinned: boolean): void {
    this.lru.pin(normalizeSha256(sha256), pinned);
  }

  tokenize(text: string): Token[] {
    return this.model.tokenize(text);
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    const { signal } = options;
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) throw new EngineError('invalid_request', 'max_tokens must be a positive integer');
    const adapters = request.adapters.map((a) => ({ ...a, sha256: normalizeSha256(a.sha256), scale: a.scale ?? 1 }));
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;
    const slot = await this.acquireSlot(adapterKey(adapters), signal);
    const switchStart = performance.now();
    const held: string[] = [];
    try {
      for (const a of adapters) {
        await this.ensureResident(a);
        const resident = this.lru.get(a.sha256);
        if (!resident) throw new EngineError('adapter_load_failed', `adapter ${a.adapterId} was evicted while loading`);
        resident.inUse++;
        held.push(a.sha256);
      }
      await this.applyAdapters(slot, adapters);
      const adapterSwitchMs = performance.now() - switchStart;
      await slot.sequence.clearHistory(); // the KV cache of the previous request was computed under other adapters
      const promptTokens = this.model.tokenize(request.prompt);
      const bos = this.model.tokens.shouldPrependBosToken ? this.model.tokens.bos : null;
      const promptTokenIds = bos == null ? [...promptTokens] : [bos, ...promptTokens];
      if (promptTokenIds.length + 1 >= this.options.contextSize) {
        throw new EngineError('invalid_request', `prompt is ${promptTokenIds.length} tokens, the context holds ${this.options.contextSize}`);
      }
      const outputTokenIds: number[] = [];
      const genStart = performance.now();
      const res = await slot.completion.generateCompletionWithMeta(promptTokens, {
        maxTokens: Math.min(request.maxTokens, this.options.contextSize - promptTokenIds.length - 1),
        temperature: request.temperature ?? 0,
        topP: request.topP,
        seed: request.seed,
        customStopTriggers: request.stop?.length ? request.stop : undefined,
        grammar,
        signal,
        onToken: (tokens) => { for (const t of tokens) outputTokenIds.push(t); },
        onTextChunk: options.onText,
      });
      if (signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
      return {
        text: res.response,
        promptTokenIds,
        outputTokenIds,
        promptTokenCount: promptTokenIds.length,
        completionTokenCount: outputTokenIds.length,
        finishReason: res.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
        adapterSwitchMs,
        generationMs: performance.now() - genStart,
      };
    } catch (e) {
      if (signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
      throw e;
    } finally {
      for (const sha of held) {
        const r = this.lru.get(sha);
        if (r) r.inUse--;
      }
      this.releaseSlot(slot);
    }
  }

  /** Makes `adapters` the active set of an idle context (the "adapter switch"). */
  async switchAdapters(adapters: AdapterRef[]): Promise<number> {
    const list = adapters.map((a) => ({ ...a, sha256: normalizeSha256(a.sha256), scale: a.scale ?? 1 }));
    const slot = await this.acquireSlot(adapterKey(list));
    const t0 = performance.now();
    try {
      for (const a of list) await this.ensureResident(a);
      await this.applyAdapters(slot, list);
      return performance.now() - t0;
    } finally {
      this.releaseSlot(slot);
    }
  }

  private async applyAdapters(slot: Slot, adapters: { sha256: string; scale: number }[]): Promise<void> {
    const key = adapterKey(adapters);
    if (slot.adapterKey === key) return;
    const loras = adapters.map((a) => ({ filePath: this.lru.get(a.sha256)!.path, scale: a.scale }));
    await setContextLoras(slot.context, loras);
    slot.adapterKey = key;
  }

  /** Counts a use; pins adapters hot in the current window, unpins those that cooled in the last one. */
  private noteUse(sha256: string): void {
    const hot = this.options.hotPinning ?? { hits: 20, windowMs: 60_000, max: 8 };
    if (Date.now() - this.windowStart > hot.windowMs) {
      for (const sha of [...this.hotPins]) {
        if ((this.windowHits.get(sha) ?? 0) < hot.hits) {
          this.hotPins.delete(sha);
          if (!this.configuredPins.has(sha)) this.lru.pin(sha, false);
        }
      }
      this.windowHits = new Map();
      this.windowStart = Date.now();
    }
    const hits = (this.windowHits.get(sha256) ?? 0) + 1;
    this.windowHits.set(sha256, hits);
    if (hits >= hot.hits && !this.hotPins.has(sha256) && this.hotPins.size < hot.max) {
      this.hotPins.add(sha256);
      this.lru.pin(sha256, true);
    }
  }

  /** Adapters pinned because they are hot (tests, stats). */
  hotAdapters(): string[] {
    return [...this.hotPins];
  }

  private async ensureResident(ref: AdapterRef & { sha256: string }): Promise<void> {
    this.noteUse(ref.sha256);
    if (this.lru.get(ref.sha256)) {
      this.stats.adapterCacheHits++;
      return;
    }
    const pending = this.loading.get(ref.sha256);
    if (pending) return pending;
    this.stats.adapterCacheMisses++;
    const load = (async () => {
      const file = await this.store.ensureLocal(ref); // sha256 verified before llama.cpp opens it
      const bytes = (await stat(file)).size;
      for (const victim of this.lru.victims(bytes)) await this.evict(victim.sha256);
      try {
        await loadLora(this.model, file);
      } catch (e) {
        throw new EngineError('adapter_load_failed', `adapter ${ref.adapterId}: llama.cpp refused the file: ${(e as Error).message}`);
      }
      this.lru.add({ sha256: ref.sha256, path: file, bytes, inUse: 0 });
      this.stats.adapterLoads++;
    })();
    this.loading.set(ref.sha256, load);
    try {
      await load;
    } finally {
      this.loading.delete(ref.sha256);
    }
  }

  private async evict(sha256: string): Promise<void> {
    const entry = this.lru.get(sha256);
    if (!entry) return;
    for (const slot of this.slots) {
      if (!slot.busy && slot.adapterKey.includes(sha256)) {
        await setContextLoras(slot.context, []);
        slot.adapterKey = '';
      }
    }
    this.lru.remove(sha256);
    await unloadLora(this.model, this.slots.map((s) => s.context), entry.path);
    this.stats.adapterEvictions++;
  }

  private async acquireSlot(key: string, signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      if (signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
      const free = this.slots.filter((s) => !s.busy);
      const slot = free.find((s) => s.adapterKey === key) ?? free[0];
      if (slot) {
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private releaseSlot(slot: Slot): void {
    slot.busy = false;
    this.waiters.shift()?.();
  }

  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(schema as never).catch((e: Error) => {
        this.grammars.delete(key);
        throw new EngineError('invalid_request', `response_format json_schema is not supported: ${e.message}`);
      });
      this.grammars.set(key, g);
    }
    return g;
  }

  async close(): Promise<void> {
    this.store.close();
    await this.llama.dispose();
  }
}
