import { randomUUID } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '@openledger/service-kit';
import { EngineError, toEngineError } from '../engine/errors.js';
import type { Engine, EngineStats, GenerateOptions, GenerateRequest, GenerateResult } from '../engine/types.js';
import {
  cancelChannel,
  engineStatsKey,
  residentKey,
  sharedQueueName,
  workerQueueName,
  workersKey,
  type InferenceJob,
  type InferenceReply,
} from '../services/inference-protocol.js';

export interface InferenceWorkerOptions {
  redisUrl: string;
  prefix: string;
  engine: Engine;
  /** Jobs run at once (the engine's context pool size). */
  concurrency: number;
  workerId?: string;
  log?: (msg: string) => void;
}

/**
 * Serves inference jobs of one base model with one engine: takes jobs from the base model's shared queue
 * and from its own queue (where the API routes requests for adapters already resident here), streams
 * text back over Redis pub/sub, aborts on cancel messages, and publishes which adapters it holds.
 *
 * A worker living in the same process as the API can also be handed a request directly
 * ({@link InferenceWorker.runLocal}, the dispatcher's fast path) when it has a free context: same engine,
 * same abort handling, same resident-set publishing, no Redis hop.
 */
export class InferenceWorker {
  readonly workerId: string;
  private readonly workers: Worker[] = [];
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly running = new Map<string, AbortController>();
  private readonly cancelled = new Set<string>();
  private heartbeat?: NodeJS.Timeout;
  private connection?: Redis;
  private closing = false;
  /** Resident set last written to Redis (published again only when it changes, or on the heartbeat). */
  private publishedResident = '';

  constructor(private readonly options: InferenceWorkerOptions) {
    this.workerId = options.workerId ?? randomUUID().slice(0, 8);
    this.publisher = createRedis(options.redisUrl);
    this.subscriber = createRedis(options.redisUrl);
  }

  async start(): Promise<void> {
    const { engine, prefix } = this.options;
    await this.subscriber.subscribe(cancelChannel(prefix));
    this.subscriber.on('message', (_channel, requestId: string) => {
      this.cancelled.add(requestId);
      setTimeout(() => this.cancelled.delete(requestId), 600_000).unref();
      this.running.get(requestId)?.abort();
    });
    const connection = createRedis(this.options.redisUrl);
    this.connection = connection;
    for (const name of [workerQueueName(engine.baseModelId, this.workerId), sharedQueueName(engine.baseModelId)]) {
      const w = new Worker<InferenceJob>(name, (job) => this.process(job), { connection, prefix, concurrency: this.options.concurrency, autorun: true });
      w.on('error', (e) => this.options.log?.(`inference worker ${this.workerId}: ${e.message}`));
      this.workers.push(w);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    await this.publishState();
    this.heartbeat = setInterval(() => void this.publishState().catch(() => undefined), 2_000);
    this.heartbeat.unref();
  }

  private async reply(job: InferenceJob, message: InferenceReply): Promise<void> {
    await this.publisher.publish(job.replyTo, JSON.stringify(message));
  }

  private async process(job: Job<InferenceJob>): Promise<void> {
    const data = job.data;
    const { requestId } = data;
    if (this.cancelled.has(requestId)) return;
    if (Date.now() > data.deadline) {
      await this.reply(data, { requestId, kind: 'error', code: 'timeout', message: 'the request waited in the queue past its deadline' });
      return;
    }
    const controller = new AbortController();
    this.running.set(requestId, controller);
    try {
      const result = await this.options.engine.generate(data.request, {
        signal: controller.signal,
        onText: data.stream ? (text) => void this.reply(data, { requestId, kind: 'text', text }) : undefined,
      });
      await this.reply(data, { requestId, kind: 'done', result });
    } catch (e) {
      const err = e instanceof EngineError ? e : toEngineError(e);
      await this.reply(data, { requestId, kind: 'error', code: err.code, message: err.message });
    } finally {
      this.running.delete(requestId);
      this.schedulePublish();
    }
  }

  get baseModelId(): string {
    return this.options.engine.baseModelId;
  }

  /** True when the engine has a context no running request (queued job or local call) is using. */
  hasFreeContext(): boolean {
    return !this.closing && this.running.size < this.options.concurrency;
  }

  /** The engine's counters now (the heartbeat publishes them for other processes every 2 s). */
  stats(): Promise<EngineStats> {
    return this.options.engine.stats();
  }

  /** Adapters (sha256) resident in this worker's engine right now. */
  holds(sha256: string): boolean {
    return this.options.engine.residentAdapters().has(sha256);
  }

  /**
   * Runs a request on this worker's engine without the queue (the API in this process found a free
   * context). Counts as running like a queued job, so capacity, cancel messages and close() apply alike.
   */
  async runLocal(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    if (this.closing) throw new EngineError('engine_unavailable', 'engine worker closing');
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (options.signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
    options.signal?.addEventListener('abort', abort, { once: true });
    this.running.set(request.requestId, controller);
    try {
      return await this.options.engine.generate(request, { signal: controller.signal, onText: options.onText });
    } catch (e) {
      throw e instanceof EngineError ? e : toEngineError(e);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      this.running.delete(request.requestId);
      this.schedulePublish();
    }
  }

  private publishing = false;
  private publishAgain = false;

  /** Publishes the resident set off the request path when it changed, coalescing bursts. */
  private schedulePublish(): void {
    if (this.residentSignature() === this.publishedResident) return; // the heartbeat refreshes the rest
    if (this.publishing) {
      this.publishAgain = true;
      return;
    }
    this.publishing = true;
    setImmediate(() => {
      void this.publishState()
        .catch(() => undefined)
        .finally(() => {
          this.publishing = false;
          if (this.publishAgain) {
            this.publishAgain = false;
            this.schedulePublish();
          }
        });
    });
  }

  private residentSignature(): string {
    return [...this.options.engine.residentAdapters()].sort().join(',');
  }

  /** Heartbeat + resident adapters (for routing) + engine stats (for /metrics). */
  private async publishState(): Promise<void> {
    const { engine, prefix } = this.options;
    const key = residentKey(prefix, engine.baseModelId, this.workerId);
    const resident = [...engine.residentAdapters()];
    this.publishedResident = this.residentSignature();
    const stats = await engine.stats();
    const multi = this.publisher.multi().hset(workersKey(prefix, engine.baseModelId), this.workerId, String(Date.now())).del(key);
    if (resident.length) multi.sadd(key, ...resident);
    multi.pexpire(key, 10_000).hset(engineStatsKey(prefix), `${engine.baseModelId}:${this.workerId}`, JSON.stringify(stats));
    await multi.exec();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const c of this.running.values()) c.abort();
    await Promise.all(this.workers.map((w) => w.close()));
    await this.publisher.hdel(workersKey(this.options.prefix, this.options.engine.baseModelId), this.workerId).catch(() => undefined);
    await this.publisher.hdel(engineStatsKey(this.options.prefix), `${this.options.engine.baseModelId}:${this.workerId}`).catch(() => undefined);
    this.subscriber.disconnect();
    this.publisher.disconnect();
    this.connection?.disconnect();
  }
}
