import type { EngineErrorCode } from '../engine/errors.js';
import type { GenerateRequest, GenerateResult } from '../engine/types.js';

/** BullMQ queues between the API and the engine workers: one shared queue per base model, one per worker. */
export const sharedQueueName = (baseModelId: string) => `inference-base-${baseModelId}`;
export const workerQueueName = (baseModelId: string, workerId: string) => `inference-base-${baseModelId}-w-${workerId}`;

/** Redis keys and channels (under the queue prefix). */
export const cancelChannel = (prefix: string) => `${prefix}:inference:cancel`;
export const workersKey = (prefix: string, baseModelId: string) => `${prefix}:inference:workers:${baseModelId}`;
export const residentKey = (prefix: string, baseModelId: string, workerId: string) => `${prefix}:inference:resident:${baseModelId}:${workerId}`;
export const engineStatsKey = (prefix: string) => `${prefix}:inference:engine-stats`;

export interface InferenceJob {
  requestId: string;
  /** Pub/sub channel of the API instance waiting for this request. */
  replyTo: string;
  request: GenerateRequest;
  stream: boolean;
  /** Epoch ms after which the request is not started any more (the caller gave up). */
  deadline: number;
}

export type InferenceReply =
  | { requestId: string; kind: 'text'; text: string }
  | { requestId: string; kind: 'done'; result: GenerateResult }
  | { requestId: string; kind: 'error'; code: EngineErrorCode; message: string };
