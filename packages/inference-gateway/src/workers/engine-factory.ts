import path from 'node:path';
import type { GatewayConfig } from '../config.js';
import { ExternalOpenAIEngine } from '../engine/external-openai-engine.js';
import { LocalEngine } from '../engine/local-engine.js';
import type { Engine } from '../engine/types.js';

/** The engine a worker drives: the local node-llama-cpp child process, or an external vLLM-style server. */
export function createEngine(config: GatewayConfig, workerIndex: number, log: (m: string) => void): Engine {
  const e = config.engine;
  if (e.externalUrl) {
    return new ExternalOpenAIEngine({ baseModelId: e.baseModelId, baseUrl: e.externalUrl, baseModelName: e.externalModelName ?? `base-${e.baseModelId}`, requestTimeoutMs: config.requestTimeoutMs });
  }
  return new LocalEngine({
    baseModelId: e.baseModelId,
    requestTimeoutMs: config.requestTimeoutMs,
    log,
    runtime: {
      modelPath: e.baseModelPath,
      contexts: e.contexts,
      contextSize: e.contextSize,
      threads: e.threads,
      cacheDir: path.join(config.dataDir, 'adapter-cache', `engine-${workerIndex}`),
      allowedLocalDirs: [path.join(config.dataDir, 'adapter-files')],
      maxAdapterBytes: e.maxAdapterBytes,
      s3: e.s3,
      allowPrivateHosts: e.allowPrivateHosts,
      adapterMemoryBytes: e.adapterMemoryBytes,
      pinnedAdapters: e.pinnedAdapters,
    },
  });
}
