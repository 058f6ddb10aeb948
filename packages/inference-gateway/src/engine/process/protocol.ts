import type { EngineErrorCode } from '../errors.js';
import type { EngineStats, GenerateRequest, GenerateResult } from '../types.js';
import type { LoraRuntimeOptions } from '../runtime/lora-runtime.js';

/** Messages over the IPC channel between the supervisor (gateway worker) and one engine child process. */
export type ToEngine =
  | { t: 'init'; options: Omit<LoraRuntimeOptions, 'log'> }
  | { t: 'generate'; id: string; request: GenerateRequest; stream: boolean }
  | { t: 'cancel'; id: string }
  | { t: 'pin'; sha256: string; pinned: boolean }
  | { t: 'stats'; id: string };

export type FromEngine =
  | { t: 'ready'; build: string; loadMs: number }
  | { t: 'fatal'; message: string }
  | { t: 'text'; id: string; text: string }
  | { t: 'done'; id: string; result: GenerateResult; resident: string[] }
  | { t: 'error'; id: string; code: EngineErrorCode; message: string; resident: string[] }
  | { t: 'stats'; id: string; stats: Omit<EngineStats, 'restarts'> }
  | { t: 'log'; message: string };
