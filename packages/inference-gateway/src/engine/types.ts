/** What every engine (the local node-llama-cpp one, or an external OpenAI-compatible server) is asked and answers. */
export interface AdapterRef {
  /** Registry id of the adapter (on-chain model id). */
  adapterId: string;
  /** sha256 of the adapter file as registered on chain (hex, no 0x). The file is refused unless it matches. */
  sha256: string;
  /** Where the file can be fetched: an absolute local path, file://, http://, https:// or s3://bucket/key. */
  uri: string;
  /** LoRA scale; several adapters with scales are stacked. Default 1. */
  scale?: number;
}

export interface GenerateRequest {
  requestId: string;
  /** Raw prompt text (chat messages are formatted into a prompt by the gateway, see prompt.ts). */
  prompt: string;
  /** Empty: the base model alone. */
  adapters: AdapterRef[];
  maxTokens: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** JSON schema the output must match (grammar-constrained generation). */
  jsonSchema?: Record<string, unknown>;
}

export type FinishReason = 'stop' | 'length';

export interface GenerateResult {
  text: string;
  promptTokenIds: number[];
  outputTokenIds: number[];
  /** Token counts; equal to the ids' lengths for the local engine, from the server's usage for an external one. */
  promptTokenCount?: number;
  completionTokenCount?: number;
  finishReason: FinishReason;
  /** Milliseconds spent switching/loading adapters for this request. */
  adapterSwitchMs: number;
  generationMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onText?: (text: string) => void;
}

export interface EngineStats {
  baseModelLoads: number;
  adapterLoads: number;
  adapterEvictions: number;
  adapterCacheHits: number;
  adapterCacheMisses: number;
  loadedAdapters: string[];
  loadedAdapterBytes: number;
  restarts: number;
  build: string;
}

export interface Engine {
  readonly baseModelId: string;
  /** Adapters (sha256) resident in this engine, for routing. */
  residentAdapters(): ReadonlySet<string>;
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GenerateResult>;
  stats(): Promise<EngineStats>;
  close(): Promise<void>;
}
