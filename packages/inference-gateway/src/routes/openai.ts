import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, badRequest, problemResponses } from '@openledger/service-kit';
import { formatChatPrompt, type ChatMessage } from '../engine/prompt.js';
import { ChatCompletionBody, ChatCompletionResponse, CompletionBody, CompletionResponse, ModelList } from '../schemas/openai.js';
import type { InferenceInput, InferenceOutcome, InferenceService } from '../services/inference-service.js';
import type { StageClock } from '../services/stage-timings.js';
import { openaiError } from './openai-error.js';

type Kind = 'chat' | 'text';

const contentText = (c: ChatCompletionBody['messages'][number]['content']): string =>
  c == null ? '' : typeof c === 'string' ? c : c.map((p) => p.text).join('');

/** Per-request stage clocks while a {@link StageTimings} sink is attached (bench). */
const clocks = new WeakMap<FastifyRequest, StageClock>();

function startClock(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): StageClock | undefined {
  const sink = app.ctx.stageTimings;
  if (!sink) return undefined;
  const clock = sink.begin();
  clock.record('http in (parse, validate)', reply.elapsedTime);
  clocks.set(request, clock);
  return clock;
}

/** Aborts when the client goes away before the response finished. */
function disconnectSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The caller of an API-key request, after its rate limit (both stages timed when the bench asks). */
async function admitCaller(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const clock = startClock(app, request, reply);
  const caller = await app.ctx.keys.authenticate(request.headers.authorization);
  clock?.mark('auth');
  await app.ctx.rateLimiter.check(caller.keyId);
  clock?.mark('rate limit');
  return { caller, clock };
}

/**
 * Streams as Server-Sent Events in OpenAI's chunk format. Headers go out with the first token, so an error
 * before any output (queue full, credit, engine crash) is still a proper problem+json response.
 */
async function streamResponse(app: FastifyInstance, service: InferenceService, kind: Kind, request: FastifyRequest, reply: FastifyReply, input: InferenceInput, includeUsage: boolean) {
  const { caller, clock } = await admitCaller(app, request, reply);
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${request.id}`;
  const created = Math.floor(Date.now() / 1000);
  const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  let started = false;
  const send = (data: unknown) => reply.raw.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (text: string, finish: string | null) =>
    kind === 'chat'
      ? { id, object, created, model: input.model, choices: [{ index: 0, delta: started ? { content: text } : { role: 'assistant', content: text }, finish_reason: finish, logprobs: null }] }
      : { id, object, created, model: input.model, choices: [{ index: 0, text, finish_reason: finish, logprobs: null }] };
  const begin = () => {
    if (started) return;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
    if (kind === 'chat') send(chunk('', null));
    started = true;
  };
  let outcome: InferenceOutcome;
  try {
    outcome = await service.run(caller, input, {
      clock,
      signal: disconnectSignal(reply),
      onText: (text) => {
        begin();
        send(chunk(text, null));
      },
    });
  } catch (e) {
    if (!started) throw e;
    const problem = e instanceof HttpProblem ? e.toJSON() : { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'generation failed' };
    send({ error: openaiError(problem) });
    reply.raw.end();
    return;
  }
  begin();
  // the last content chunk carries the citations of a retrieval (the openai client passes extra fields through)
  send(outcome.citations.length ? { ...chunk('', outcome.result.finishReason), openledger: { citations: outcome.citations } } : chunk('', outcome.result.finishReason));
  if (includeUsage) {
    send({ id, object, created, model: input.model, choices: [], usage: usageOf(outcome), openledger: billingOf(outcome) });
  }
  reply.raw.end('data: [DONE]\n\n');
}

const usageOf = (o: InferenceOutcome) => ({ prompt_tokens: o.promptTokens, completion_tokens: o.completionTokens, total_tokens: o.promptTokens + o.completionTokens });
const billingOf = (o: InferenceOutcome) => ({ fee_wei: o.feeWei.toString(), usage_ids: o.usageIds, ...(o.citations.length ? { citations: o.citations } : {}) });

/** The retrieval request of a body, if any: `query` is what the nearest records are found for. */
function retrievalOf(body: { retrieval?: { datanet_id: string; k?: number } }, query: string, withContext: (context: string) => string): InferenceInput['retrieval'] {
  if (!body.retrieval) return undefined;
  if (!query.trim()) throw badRequest('retrieval needs a non-empty user message (or prompt) to search for');
  return { datanetId: body.retrieval.datanet_id, k: body.retrieval.k ?? 3, query, withContext };
}

export async function openaiRoutes(app: FastifyInstance, opts: { service: InferenceService }): Promise<void> {
  const { service } = opts;
  const counted = (route: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    app.ctx.metrics.inc('gateway_requests_total', { route, status: String(reply.statusCode) });
    const clock = clocks.get(req);
    if (clock) {
      clock.mark('reply (serialize, write)');
      clock.record('server total', reply.elapsedTime);
    }
  };

  app.post(
    '/v1/chat/completions',
    {
      onResponse: counted('chat'),
      schema: {
        tags: ['openai'],
        summary: 'OpenAI-compatible chat completion (model = adapter-<id> or base-<id>); stream: true answers with SSE',
        security: [{ bearer: [] }],
        body: ChatCompletionBody,
        response: { 200: ChatCompletionResponse, ...problemResponses(400, 401, 402, 404, 422, 429, 502, 503, 504) },
      },
    },
    async (request, reply) => {
      const body = request.body as ChatCompletionBody;
      const messages: ChatMessage[] = body.messages.map((m) => ({ role: m.role, content: contentText(m.content) }));
      const rf = body.response_format;
      const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const input: InferenceInput = {
        model: body.model,
        prompt: formatChatPrompt(messages),
        retrieval: retrievalOf(body, lastUser, (context) => formatChatPrompt([{ role: 'system', content: context }, ...messages])),
        maxTokens: body.max_completion_tokens ?? body.max_tokens,
        temperature: body.temperature,
        topP: body.top_p,
        seed: body.seed,
        stop: body.stop,
        lora: body.lora,
        jsonSchema: rf?.type === 'json_schema' ? rf.json_schema.schema : rf?.type === 'json_object' ? { type: 'object' } : undefined,
      };
      if (body.stream) return streamResponse(app, service, 'chat', request, reply, input, Boolean(body.stream_options?.include_usage));
      const { caller, clock } = await admitCaller(app, request, reply);
      const o = await service.run(caller, input, { signal: disconnectSignal(reply), clock });
      return {
        id: `chatcmpl-${request.id}`,
        object: 'chat.completion' as const,
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant' as const, content: o.result.text }, finish_reason: o.result.finishReason, logprobs: null }],
        usage: usageOf(o),
        openledger: billingOf(o),
      };
    },
  );

  app.post(
    '/v1/completions',
    {
      onResponse: counted('completions'),
      schema: {
        tags: ['openai'],
        summary: 'OpenAI-compatible text completion',
        security: [{ bearer: [] }],
        body: CompletionBody,
        response: { 200: CompletionResponse, ...problemResponses(400, 401, 402, 404, 422, 429, 502, 503, 504) },
      },
    },
    async (request, reply) => {
      const body = request.body as CompletionBody;
      const input: InferenceInput = {
        model: body.model,
        prompt: body.prompt,
        maxTokens: body.max_tokens,
        temperature: body.temperature,
        topP: body.top_p,
        seed: body.seed,
        stop: body.stop,
        lora: body.lora,
        retrieval: retrievalOf(body, body.prompt, (context) => `${context}\n\n${body.prompt}`),
      };
      if (body.stream) return streamResponse(app, service, 'text', request, reply, input, Boolean(body.stream_options?.include_usage));
      const { caller, clock } = await admitCaller(app, request, reply);
      const o = await service.run(caller, input, { signal: disconnectSignal(reply), clock });
      return {
        id: `cmpl-${request.id}`,
        object: 'text_completion' as const,
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, text: o.result.text, finish_reason: o.result.finishReason, logprobs: null }],
        usage: usageOf(o),
        openledger: billingOf(o),
      };
    },
  );

  app.get(
    '/v1/models',
    { onResponse: counted('models'), schema: { tags: ['openai'], summary: 'Every servable adapter and base model with owner, datanets and price', response: { 200: ModelList } } },
    async () => {
      const models = await app.ctx.catalog.list();
      return {
        object: 'list' as const,
        data: models.map((m) =>
          m.kind === 'adapter'
            ? {
                id: m.modelName,
                object: 'model' as const,
                created: m.publishedAt,
                owned_by: m.owner,
                kind: 'adapter' as const,
                name: m.name,
                base_model: `base-${m.baseModelId}`,
                version: m.version,
                sha256: m.sha256,
                rank: m.rank,
                datanet_ids: m.datanetIds,
                price_per_1k_tokens_wei: m.pricePer1kTokensWei.toString(),
              }
            : { id: m.modelName, object: 'model' as const, created: 0, owned_by: m.owner, kind: 'base' as const, name: m.name, base_model: m.modelName, sha256: m.sha256, datanet_ids: [], price_per_1k_tokens_wei: '0' },
        ),
      };
    },
  );
}
