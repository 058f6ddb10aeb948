import { EngineError } from './errors.js';
import type { Engine, EngineStats, GenerateOptions, GenerateRequest, GenerateResult } from './types.js';

export interface ExternalOpenAIEngineOptions {
  baseModelId: string;
  /** e.g. http://vllm:8000/v1 */
  baseUrl: string;
  apiKey?: string;
  /** Model name the server knows the base under (requests without adapters). */
  baseModelName: string;
  requestTimeoutMs?: number;
}

interface CompletionChoice { text: string; finish_reason: string | null }
interface CompletionResponse { choices: CompletionChoice[]; usage?: { prompt_tokens: number; completion_tokens: number } }

/**
 * Forwards to an external OpenAI-compatible server with LoRA enabled (vLLM style: `model` = the adapter's
 * name, adapters registered server-side with --lora-modules or the load_lora_adapter endpoint). For GPU
 * clusters that batch many adapters. Token ids are not returned by such servers, so the counts come from
 * the server's `usage` (ids arrays are empty); stacking several adapters is not supported there.
 */
export class ExternalOpenAIEngine implements Engine {
  readonly baseModelId: string;
  private readonly counters = { requests: 0 };

  constructor(private readonly options: ExternalOpenAIEngineOptions) {
    this.baseModelId = options.baseModelId;
  }

  residentAdapters(): ReadonlySet<string> {
    return new Set();
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    if (request.adapters.length > 1) throw new EngineError('invalid_request', 'the external engine serves one adapter per request (no stacking)');
    const model = request.adapters[0]?.adapterId ?? this.options.baseModelName;
    const stream = Boolean(options.onText);
    const body: Record<string, unknown> = {
      model,
      prompt: request.prompt,
      max_tokens: request.maxTokens,
      temperature: request.temperature ?? 0,
      top_p: request.topP,
      seed: request.seed,
      stop: request.stop,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...(request.jsonSchema ? { guided_json: request.jsonSchema } : {}),
    };
    const signals = [AbortSignal.timeout(this.options.requestTimeoutMs ?? 120_000), ...(options.signal ? [options.signal] : [])];
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (e) {
      if (options.signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
      throw new EngineError('upstream_error', `external engine unreachable: ${(e as Error).message}`);
    }
    if (!res.ok) throw new EngineError('upstream_error', `external engine answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    this.counters.requests++;
    let text = '';
    let finish: string | null = null;
    let usage: CompletionResponse['usage'];
    if (!stream) {
      const json = (await res.json()) as CompletionResponse;
      text = json.choices[0]?.text ?? '';
      finish = json.choices[0]?.finish_reason ?? null;
      usage = json.usage;
    } else {
      const decoder = new TextDecoder();
      let buffered = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffered += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (!line.startsWith('data:')) continue;
            const data = line.slice(5).trim();
            if (data === '[DONE]') continue;
            const event = JSON.parse(data) as CompletionResponse;
            const choice = event.choices[0];
            if (choice?.text) {
              text += choice.text;
              options.onText?.(choice.text);
            }
            if (choice?.finish_reason) finish = choice.finish_reason;
            if (event.usage) usage = event.usage;
          }
        }
      } catch (e) {
        if (options.signal?.aborted) throw new EngineError('cancelled', 'request cancelled');
        throw new EngineError('upstream_error', `external engine stream failed: ${(e as Error).message}`);
      }
    }
    if (!usage) throw new EngineError('upstream_error', 'external engine did not report token usage; refusing to meter a guess');
    return {
      text,
      promptTokenIds: [],
      outputTokenIds: [],
      promptTokenCount: usage.prompt_tokens,
      completionTokenCount: usage.completion_tokens,
      finishReason: finish === 'length' ? 'length' : 'stop',
      adapterSwitchMs: 0,
      generationMs: performance.now() - started,
    };
  }

  async stats(): Promise<EngineStats> {
    return { baseModelLoads: 0, adapterLoads: 0, adapterEvictions: 0, adapterCacheHits: 0, adapterCacheMisses: 0, loadedAdapters: [], loadedAdapterBytes: 0, restarts: 0, build: `external:${this.options.baseUrl}` };
  }

  async close(): Promise<void> {}
}
