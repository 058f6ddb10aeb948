import { randomUUID } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '@openledger/service-kit';
import { EngineError, toEngineError } from '../engine/errors.js';
import type { Engine } from '../engine/types.js';
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
    void this.reply(data, { requestId, kind: 'started', workerId: this.workerId }).catch(() => undefined);
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

  private publishing = false;
  private publishAgain = false;

  /** Publishes the resident set off the request path, coalescing bursts. */
  private schedulePublish(): void {
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

  /** Heartbeat + resident adapters (for routing) + engine stats (for /metrics). */
  private async publishState(): Promise<void> {
    const { engine, prefix } = this.options;
    const key = residentKey(prefix, engine.baseModelId, this.workerId);
    const resident = [...engine.residentAdapters()];
    const stats = await engine.stats();
    const multi = this.publisher.multi().hset(workersKey(prefix, engine.baseModelId), this.workerId, String(Date.now())).del(key);
    if (resident.length) multi.sadd(key, ...resident);
    multi.pexpire(key, 10_000).hset(engineStatsKey(prefix), `${engine.baseModelId}:${this.workerId}`, JSON.stringify(stats));
    await multi.exec();
  }

  async close(): Promise<void> {
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
