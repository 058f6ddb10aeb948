import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, HttpProblem } from '@openledger/service-kit';
import { EngineError } from '../engine/errors.js';
import type { EngineStats, GenerateRequest, GenerateResult } from '../engine/types.js';
import {
  cancelChannel,
  residentKey,
  sharedQueueName,
  workerQueueName,
  workersKey,
  type InferenceJob,
  type InferenceReply,
} from './inference-protocol.js';

export interface DispatcherOptions {
  redisUrl: string;
  prefix: string;
  maxQueueDepth: number;
  requestTimeoutMs: number;
  /** Hand requests straight to an engine worker of this process when it has a free context (default true). */
  localDispatch?: boolean;
  /** How often the view of live workers, their adapters and the queue depth is re-read (default 250 ms). */
  routingRefreshMs?: number;
  log?: (msg: string) => void;
}

/** An engine worker living in the API's own process (see {@link InferenceWorker}). */
export interface LocalWorker {
  readonly workerId: string;
  readonly baseModelId: string;
  hasFreeContext(): boolean;
  holds(sha256: string): boolean;
  stats(): Promise<EngineStats>;
  runLocal(request: GenerateRequest, options: { onText?: (text: string) => void; signal?: AbortSignal }): Promise<GenerateResult>;
}

export type DispatchPath = 'local' | 'queue';

interface Pending {
  onText?: (text: string) => void;
  resolve: (r: GenerateResult) => void;
  reject: (e: EngineError) => void;
  /** Set on the fast path: aborts the local engine call (no cancel message over Redis needed). */
  abortLocal?: () => void;
}

interface BaseModelRouting {
  /** Live workers and the adapters each holds, refreshed in the background. */
  resident: Map<string, Set<string>>;
  /** Jobs waiting in the base model's queues (refreshed) plus this instance's in-flight requests. */
  queuedRemote: number;
  inFlight: number;
}

/**
 * API side of the engine queues: routes a request to the worker that already holds its adapter (else the
 * base model's shared queue), refuses work beyond a bounded queue (429 + Retry-After), waits for the
 * reply on this instance's pub/sub channel with a deadline, and cancels on client disconnect.
 */
export class InferenceDispatcher {
  readonly instanceId = randomUUID();
  private readonly replyChannel: string;
  private readonly connection: Redis;
  private readonly subscriber: Redis;
  private readonly queues = new Map<string, Queue<InferenceJob>>();
  private readonly pending = new Map<string, Pending>();
  private readonly routing = new Map<string, BaseModelRouting>();
  private readonly local: LocalWorker[] = [];
  private refresher?: NodeJS.Timeout;
  /** Base models whose routing {@link InferenceDispatcher.refreshSoon} is re-reading. */
  private readonly refreshing = new Set<string>();
  /** Requests dispatched per path since start (tests and the bench check which path served). */
  readonly dispatched: Record<DispatchPath, number> = { local: 0, queue: 0 };

  constructor(private readonly options: DispatcherOptions) {
    this.replyChannel = `${options.prefix}:inference:reply:${this.instanceId}`;
    this.connection = createRedis(options.redisUrl);
    this.subscriber = createRedis(options.redisUrl);
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.replyChannel);
    this.subscriber.on('message', (_c, raw: string) => this.onReply(JSON.parse(raw) as InferenceReply));
    this.refresher = setInterval(() => void this.refreshRouting().catch(() => undefined), this.options.routingRefreshMs ?? 250);
    this.refresher.unref();
  }

  private onReply(m: InferenceReply): void {
    const p = this.pending.get(m.requestId);
    if (!p) return;
    switch (m.kind) {
      case 'text':
        p.onText?.(m.text);
        return;
      case 'done':
        p.resolve(m.result);
        return;
      case 'error':
        p.reject(new EngineError(m.code, m.message));
    }
  }

  /** Registers an engine worker of this process for the fast path. */
  attachLocal(worker: LocalWorker): void {
    if (!this.local.includes(worker)) this.local.push(worker);
  }

  /** The engine workers of this process (their counters can be read directly, without the heartbeat). */
  localWorkers(): readonly LocalWorker[] {
    return this.local;
  }

  detachLocal(worker: LocalWorker): void {
    const i = this.local.indexOf(worker);
    if (i >= 0) this.local.splice(i, 1);
  }

  /**
   * The fast path's choice, or undefined for the queue. A local worker serves only if it has a free context,
   * nothing is waiting in the base model's queues (no overtaking queued requests), and the affinity rule
   * holds: the first adapter is resident there, or resident on no other live worker (else it goes to the
   * queue of the worker that holds it).
   */
  private pickLocal(baseModelId: string, sha: string | undefined, r: BaseModelRouting): LocalWorker | undefined {
    if (this.options.localDispatch === false || this.local.length === 0) return undefined;
    const free = this.local.filter((w) => w.baseModelId === baseModelId && w.hasFreeContext());
    if (free.length === 0) return undefined;
    if (r.queuedRemote > 0) {
      // This request queues behind the jobs the last view counted (no overtaking), and the view is re-read now
      // rather than at the next tick: a count that went stale when the queue drained keeps the fast path off
      // for one request, not for up to a refresh interval.
      this.refreshSoon(baseModelId, r);
      return undefined;
    }
    if (!sha) return free[0];
    const holding = free.find((w) => w.holds(sha));
    if (holding) return holding;
    const localIds = new Set(this.local.map((w) => w.workerId));
    for (const [workerId, adapters] of r.resident) if (!localIds.has(workerId) && adapters.has(sha)) return undefined;
    // resident on a local worker that is busy: wait for it in its queue rather than load a second copy
    if (this.local.some((w) => w.baseModelId === baseModelId && w.holds(sha))) return undefined;
    return free[0];
  }

  private queue(name: string): Queue<InferenceJob> {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue<InferenceJob>(name, { connection: this.connection, prefix: this.options.prefix });
      // A connection 'error' with no listener would end the process; requests fail with 503 instead.
      q.on('error', (e) => this.options.log?.(`queue ${name}: ${e.message}`));
      this.queues.set(name, q);
    }
    return q;
  }

  private routingFor(baseModelId: string): BaseModelRouting {
    let r = this.routing.get(baseModelId);
    if (!r) {
      r = { resident: new Map(), queuedRemote: 0, inFlight: 0 };
      this.routing.set(baseModelId, r);
      void this.refreshOne(baseModelId, r).catch(() => undefined);
    }
    return r;
  }

  private async refreshRouting(): Promise<void> {
    await Promise.all([...this.routing.entries()].map(([id, r]) => this.refreshOne(id, r)));
  }

  private async refreshOne(baseModelId: string, r: BaseModelRouting): Promise<void> {
    const { prefix } = this.options;
    const beats = await this.connection.hgetall(workersKey(prefix, baseModelId));
    const live = Object.entries(beats).filter(([, ts]) => Date.now() - Number(ts) < 10_000).map(([id]) => id);
    const resident = new Map<string, Set<string>>();
    for (const id of live) resident.set(id, new Set(await this.connection.smembers(residentKey(prefix, baseModelId, id))));
    const names = [sharedQueueName(baseModelId), ...live.map((id) => workerQueueName(baseModelId, id))];
    const counts = await Promise.all(names.map((n) => this.queue(n).getJobCountByTypes('waiting', 'prioritized', 'delayed')));
    r.resident = resident;
    r.queuedRemote = counts.reduce((a, b) => a + b, 0);
  }

  /** Re-reads one base model's routing in the background, one read at a time. */
  private refreshSoon(baseModelId: string, r: BaseModelRouting): void {
    if (this.refreshing.has(baseModelId)) return;
    this.refreshing.add(baseModelId);
    void this.refreshOne(baseModelId, r)
      .catch(() => undefined)
      .finally(() => this.refreshing.delete(baseModelId));
  }

  /** Re-reads live workers, their adapters and queue depth now (readiness checks). */
  async refresh(baseModelId: string): Promise<void> {
    await this.refreshOne(baseModelId, this.routingFor(baseModelId));
  }

  /** Live engine workers of a base model (for /readyz and /metrics). */
  liveWorkers(baseModelId: string): number {
    return this.routingFor(baseModelId).resident.size;
  }

  queueDepth(baseModelId: string): number {
    const r = this.routingFor(baseModelId);
    return Math.max(r.queuedRemote, r.inFlight);
  }

  /**
   * Takes a place in the base model's bounded queue or throws 429 (Retry-After). Call before any billing
   * work; the returned function gives the place back.
   */
  admit(baseModelId: string): () => void {
    const r = this.routingFor(baseModelId);
    if (r.inFlight >= this.options.maxQueueDepth || r.queuedRemote >= this.options.maxQueueDepth) {
      const retryAfter = Math.max(1, Math.ceil(r.queuedRemote / 4));
      throw new HttpProblem(429, `the engines for base model ${baseModelId} are busy (${Math.max(r.inFlight, r.queuedRemote)} requests queued); retry later`, {
        headers: { 'retry-after': String(retryAfter) },
        extensions: { reason: 'queue-full' },
      });
    }
    r.inFlight++;
    let released = false;
    return () => {
      if (!released) r.inFlight--;
      released = true;
    };
  }

  async dispatch(
    baseModelId: string,
    request: GenerateRequest,
    options: { onText?: (text: string) => void; signal?: AbortSignal } = {},
  ): Promise<GenerateResult> {
    const r = this.routingFor(baseModelId);
    const sha = request.adapters[0]?.sha256;
    const local = this.pickLocal(baseModelId, sha, r);
    if (local) return this.dispatchLocal(local, request, options);
    this.dispatched.queue++;
    let queueName = sharedQueueName(baseModelId);
    if (sha) {
      for (const [workerId, adapters] of r.resident) {
        if (adapters.has(sha)) {
          queueName = workerQueueName(baseModelId, workerId);
          break;
        }
      }
    }
    const deadline = Date.now() + this.options.requestTimeoutMs;
    const job: InferenceJob = { requestId: request.requestId, replyTo: this.replyChannel, request, stream: Boolean(options.onText), deadline };
    const result = new Promise<GenerateResult>((resolve, reject) => {
      this.pending.set(request.requestId, { onText: options.onText, resolve, reject });
    });
    const timer = setTimeout(() => this.fail(request.requestId, new EngineError('timeout', `no answer from the engines within ${this.options.requestTimeoutMs} ms`)), this.options.requestTimeoutMs);
    const onAbort = () => this.fail(request.requestId, new EngineError('cancelled', 'the client went away'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.queue(queueName).add('generate', job, { jobId: request.requestId, removeOnComplete: true, removeOnFail: true, attempts: 1 });
      return await result;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.pending.delete(request.requestId);
    }
  }

  /**
   * The fast path: the engine worker of this process runs the request now. Same deadline, same
   * cancellation on client disconnect, same errors as through the queue; only the Redis hop is gone.
   */
  private async dispatchLocal(worker: LocalWorker, request: GenerateRequest, options: { onText?: (text: string) => void; signal?: AbortSignal }): Promise<GenerateResult> {
    this.dispatched.local++;
    const controller = new AbortController();
    const result = new Promise<GenerateResult>((resolve, reject) => {
      this.pending.set(request.requestId, { onText: options.onText, resolve, reject, abortLocal: () => controller.abort() });
    });
    const timer = setTimeout(() => this.fail(request.requestId, new EngineError('timeout', `no answer from the engines within ${this.options.requestTimeoutMs} ms`)), this.options.requestTimeoutMs);
    const onAbort = () => this.fail(request.requestId, new EngineError('cancelled', 'the client went away'));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const p = this.pending.get(request.requestId);
    if (p) {
      worker.runLocal(request, { onText: options.onText, signal: controller.signal }).then(
        (r) => this.pending.get(request.requestId)?.resolve(r),
        (e: EngineError) => this.pending.get(request.requestId)?.reject(e),
      );
    }
    try {
      return await result;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.pending.delete(request.requestId);
    }
  }

  /** Fails a pending request locally and tells the engine (local call, or the workers over Redis) to drop or abort it. */
  private fail(requestId: string, error: EngineError): void {
    const p = this.pending.get(requestId);
    if (!p) return;
    this.pending.delete(requestId);
    p.reject(error);
    if (p.abortLocal) p.abortLocal();
    else void this.connection.publish(cancelChannel(this.options.prefix), requestId).catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.refresher);
    for (const id of [...this.pending.keys()]) this.fail(id, new EngineError('engine_unavailable', 'gateway shutting down'));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.subscriber.disconnect();
    this.connection.disconnect();
  }
}
