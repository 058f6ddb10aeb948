import { randomUUID } from 'node:crypto';
import { HttpProblem, badRequest } from '@openledger/service-kit';
import { EngineError, type EngineErrorCode } from '../engine/errors.js';
import type { AdapterRef, GenerateResult } from '../engine/types.js';
import type { Caller } from './api-keys.js';
import type { CreditService } from './credit.js';
import type { InferenceDispatcher } from './dispatcher.js';
import type { Metrics } from './metrics.js';
import type { StageClock } from './stage-timings.js';
import type { CatalogAdapter, CatalogModel, ModelCatalog } from './model-catalog.js';
import { citationsOf, contextBlock, type Citation, type RetrievalClient } from './retrieval.js';
import { feeFor, type UsageRecorder } from './usage-recorder.js';

export interface InferenceInput {
  model: string;
  prompt: string;
  maxTokens?: number | null;
  temperature?: number | null;
  topP?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
  jsonSchema?: Record<string, unknown>;
  lora?: { model: string; scale: number }[];
  /**
   * Retrieval mode: the `k` records of `datanetId` (one of the model's datanets) nearest to `query`
   * are put in front of the prompt by `withContext` and cited; the usage event names them so each
   * retrieval is paid.
   */
  retrieval?: { datanetId: string; k: number; query: string; withContext: (context: string) => string };
}

export interface RunOptions {
  onText?: (t: string) => void;
  signal?: AbortSignal;
  /** Per-stage timings (bench). */
  clock?: StageClock;
}

export interface InferenceOutcome {
  requestId: string;
  model: CatalogModel;
  result: GenerateResult;
  promptTokens: number;
  completionTokens: number;
  feeWei: bigint;
  usageIds: string[];
  /** The retrieved records, numbered as in the context block (retrieval mode only). */
  citations: Citation[];
}

const STATUS: Record<EngineErrorCode, number> = {
  adapter_hash_mismatch: 422,
  adapter_fetch_failed: 502,
  adapter_load_failed: 422,
  adapter_quarantined: 422,
  invalid_request: 400,
  engine_crashed: 502,
  engine_unavailable: 503,
  cancelled: 499,
  timeout: 504,
  upstream_error: 502,
};

export function engineProblem(e: EngineError): HttpProblem {
  return new HttpProblem(STATUS[e.code], e.message, { title: e.code === 'cancelled' ? 'Client Closed Request' : undefined, extensions: { reason: e.code } });
}

/**
 * One inference from admission to metering: model and adapter stack resolved from the registry mirror,
 * bounded queue (429), worst-case fee reserved against the caller's credit (402), dispatched to an
 * engine worker, and — only if it completed — one usage event per adapter written and enqueued.
 */
export class InferenceService {
  constructor(
    private readonly deps: {
      catalog: ModelCatalog;
      credit: CreditService;
      dispatcher: InferenceDispatcher;
      usage: UsageRecorder;
      metrics: Metrics;
      maxTokensLimit: number;
      defaultMaxTokens: number;
      /** The attribution service's retrieval (ATTRIBUTION_URL); retrieval requests answer 503 without it. */
      retrieval?: RetrievalClient;
    },
  ) {}

  async run(caller: Caller, input: InferenceInput, options: RunOptions = {}): Promise<InferenceOutcome> {
    const { catalog, dispatcher } = this.deps;
    const model = await catalog.resolve(input.model);
    const baseModelId = model.kind === 'base' ? model.id : model.baseModelId;
    const stack: { adapter: CatalogAdapter; scale: number }[] = model.kind === 'adapter' ? [{ adapter: model, scale: 1 }] : [];
    for (const extra of input.lora ?? []) {
      const m = await catalog.resolve(extra.model);
      if (m.kind !== 'adapter') throw badRequest(`lora entry "${extra.model}" is a base model, not an adapter`);
      if (m.baseModelId !== baseModelId) throw badRequest(`adapter ${m.modelName} runs on base model ${m.baseModelId}, not ${baseModelId}`);
      if (stack.some((s) => s.adapter.id === m.id)) throw badRequest(`adapter ${m.modelName} appears twice in the stack`);
      stack.push({ adapter: m, scale: extra.scale });
    }
    const maxTokens = input.maxTokens ?? this.deps.defaultMaxTokens;
    if (maxTokens > this.deps.maxTokensLimit) throw badRequest(`max_tokens ${maxTokens} exceeds the limit of ${this.deps.maxTokensLimit}`);
    let citations: Citation[] = [];
    if (input.retrieval) {
      const { datanetId, k, query, withContext } = input.retrieval;
      const datanets = [...new Set(stack.flatMap((s) => s.adapter.datanetIds))];
      if (!datanets.includes(datanetId)) {
        throw badRequest(`retrieval.datanet_id "${datanetId}" is not a datanet ${model.modelName} was trained on (${datanets.join(', ') || 'none'})`);
      }
      if (!this.deps.retrieval) throw new HttpProblem(503, 'retrieval is not configured on this gateway (ATTRIBUTION_URL is unset)');
      const records = await this.deps.retrieval.retrieve(datanetId, query, k);
      citations = citationsOf(records);
      input = { ...input, prompt: withContext(contextBlock(datanetId, records)) };
      options.clock?.mark('retrieval');
    }
    const leaveQueue = dispatcher.admit(baseModelId);
    options.clock?.mark('resolve+admit');
    try {
      return await this.admitted(caller, input, model, baseModelId, stack, maxTokens, options, citations);
    } finally {
      leaveQueue();
    }
  }

  private async admitted(
    caller: Caller,
    input: InferenceInput,
    model: CatalogModel,
    baseModelId: string,
    stack: { adapter: CatalogAdapter; scale: number }[],
    maxTokens: number,
    options: RunOptions,
    citations: Citation[],
  ): Promise<InferenceOutcome> {
    const { credit, dispatcher, usage, metrics } = this.deps;

    // worst case: every prompt byte a token (byte-fallback tokenizers), plus BOS, plus max_tokens
    const worstTokens = Buffer.byteLength(input.prompt) + 2 + maxTokens;
    const worstFee = stack.reduce((s, x) => s + feeFor(x.adapter.pricePer1kTokensWei, worstTokens), 0n);
    const release = await credit.reserve(caller.address, worstFee);
    options.clock?.mark('credit');
    const requestId = randomUUID();
    const adapters: AdapterRef[] = stack.map((s) => ({ adapterId: s.adapter.id, sha256: s.adapter.sha256, uri: s.adapter.uri, scale: s.scale }));
    try {
      let result: GenerateResult;
      try {
        result = await dispatcher.dispatch(
          baseModelId,
          {
            requestId,
            prompt: input.prompt,
            adapters,
            maxTokens,
            temperature: input.temperature ?? undefined,
            topP: input.topP ?? undefined,
            seed: input.seed ?? undefined,
            stop: input.stop == null ? undefined : Array.isArray(input.stop) ? input.stop : [input.stop],
            jsonSchema: input.jsonSchema,
          },
          options,
        );
        options.clock?.mark('dispatch+engine');
      } catch (e) {
        if (e instanceof EngineError) {
          metrics.inc('gateway_inference_failures_total', { reason: e.code });
          throw engineProblem(e);
        }
        throw e;
      }
      const promptTokens = result.promptTokenCount ?? result.promptTokenIds.length;
      const completionTokens = result.completionTokenCount ?? result.outputTokenIds.length;
      metrics.inc('gateway_tokens_total', { kind: 'prompt' }, promptTokens);
      metrics.inc('gateway_tokens_total', { kind: 'completion' }, completionTokens);
      metrics.observeTokens(completionTokens);
      const metered = stack.length ? stack.map((s) => s.adapter) : [null];
      // one row per adapter of the stack, all in one statement: they commit together or not at all
      const events = await usage.recordAll(
        metered.map((adapter) => ({
          apiKeyId: caller.keyId,
          caller: caller.address,
          adapterId: adapter?.id ?? '0',
          adapterVersion: adapter?.version ?? 0,
          baseModelId,
          modelOwner: adapter?.owner ?? model.owner,
          datanetIds: adapter?.datanetIds ?? [],
          promptText: input.prompt,
          outputText: result.text,
          promptTokenIds: result.promptTokenIds,
          outputTokenIds: result.outputTokenIds,
          promptTokens,
          completionTokens,
          pricePer1kTokensWei: adapter?.pricePer1kTokensWei ?? 0n,
          ...(citations.length ? { retrievedContributionIds: [...new Set(citations.map((c) => c.contribution_id))] } : {}),
        })),
      );
      const usageIds = events.map((e) => e.usageId);
      const feeWei = events.reduce((sum, e) => sum + BigInt(e.feeWei), 0n);
      options.clock?.mark('usage row');
      return { requestId, model, result, promptTokens, completionTokens, feeWei, usageIds, citations };
    } finally {
      // after the usage rows exist (the fee is then counted as recorded), never before; not awaited: holding
      // the reservation a moment longer only errs on the safe side, and the reply needs no Redis round trip.
      // Later credit reads use the same Redis connection, so they see the release (commands run in order).
      void release().catch(() => undefined);
    }
  }
}
