import { Type, type Static, type TSchema } from 'typebox';

/**
 * `T | null` as one schema with a type list. An anyOf with a null branch lets Ajv's type coercion (on in
 * Fastify) turn a value the first branch refuses into null when it can (0, "", false): `max_tokens: 0`
 * or `top_p: 0` would silently mean "the default" instead of a 400 naming the field.
 */
const nullable = <T extends TSchema & { type: string }>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });

const Stop = Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 4 }), Type.Null()]);

/** Extension: several adapters stacked with scales on one request. */
/** OpenLedger extension: put the nearest records of one of the model's datanets in front of the prompt and cite them. */
const Retrieval = Type.Object(
  {
    datanet_id: Type.String({ pattern: '^[0-9]{1,78}$', description: "one of the model's datanets" }),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'records to retrieve' })),
  },
  { additionalProperties: false },
);
const LoraStack = Type.Array(Type.Object({ model: Type.String({ maxLength: 128 }), scale: Type.Number({ minimum: -4, maximum: 4 }) }), { maxItems: 4 });

const ResponseFormat = Type.Union([
  Type.Object({ type: Type.Literal('text') }),
  Type.Object({ type: Type.Literal('json_object') }),
  Type.Object({
    type: Type.Literal('json_schema'),
    json_schema: Type.Object({ name: Type.Optional(Type.String()), schema: Type.Record(Type.String(), Type.Unknown()), strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])) }, { additionalProperties: true }),
  }),
]);

const Sampling = {
  max_tokens: Type.Optional(nullable(Type.Integer({ minimum: 1 }))),
  max_completion_tokens: Type.Optional(nullable(Type.Integer({ minimum: 1 }))),
  temperature: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 2 }))),
  top_p: Type.Optional(nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1 }))),
  seed: Type.Optional(nullable(Type.Integer())),
  stop: Type.Optional(Stop),
  n: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1, description: 'one choice per request' }))),
  stream: Type.Optional(nullable(Type.Boolean())),
  stream_options: Type.Optional(Type.Union([Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, { additionalProperties: true }), Type.Null()])),
  lora: Type.Optional(LoraStack),
  retrieval: Type.Optional(Retrieval),
};

const TextPart = Type.Object({ type: Type.Literal('text'), text: Type.String() }, { additionalProperties: true });
export const ChatMessage = Type.Object(
  {
    role: Type.Union([Type.Literal('system'), Type.Literal('developer'), Type.Literal('user'), Type.Literal('assistant'), Type.Literal('tool')]),
    content: Type.Union([Type.String({ maxLength: 200_000 }), Type.Array(TextPart, { maxItems: 64 }), Type.Null()]),
  },
  { additionalProperties: true },
);

export const ChatCompletionBody = Type.Object(
  { model: Type.String({ minLength: 1, maxLength: 128 }), messages: Type.Array(ChatMessage, { minItems: 1, maxItems: 256 }), response_format: Type.Optional(ResponseFormat), ...Sampling },
  { additionalProperties: true },
);
export type ChatCompletionBody = Static<typeof ChatCompletionBody>;

export const CompletionBody = Type.Object(
  { model: Type.String({ minLength: 1, maxLength: 128 }), prompt: Type.String({ maxLength: 200_000 }), ...Sampling },
  { additionalProperties: true },
);
export type CompletionBody = Static<typeof CompletionBody>;

const Usage = Type.Object({ prompt_tokens: Type.Integer(), completion_tokens: Type.Integer(), total_tokens: Type.Integer() });
const FinishReason = Type.Union([Type.Literal('stop'), Type.Literal('length')]);

/** Non-OpenAI extras on responses: what the request cost. */
const Citation = Type.Object({ index: Type.Integer(), contribution_id: Type.String(), contributor: Type.String(), record_index: Type.Integer(), similarity: Type.Number() });
const Billing = Type.Object({ fee_wei: Type.String(), usage_ids: Type.Array(Type.String()), citations: Type.Optional(Type.Array(Citation)) });

export const ChatCompletionResponse = Type.Object({
  id: Type.String(),
  object: Type.Literal('chat.completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(Type.Object({ index: Type.Integer(), message: Type.Object({ role: Type.Literal('assistant'), content: Type.String() }), finish_reason: FinishReason, logprobs: Type.Null() })),
  usage: Usage,
  openledger: Billing,
});

export const CompletionResponse = Type.Object({
  id: Type.String(),
  object: Type.Literal('text_completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(Type.Object({ index: Type.Integer(), text: Type.String(), finish_reason: FinishReason, logprobs: Type.Null() })),
  usage: Usage,
  openledger: Billing,
});

export const ModelEntry = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  created: Type.Integer(),
  owned_by: Type.String(),
  kind: Type.Union([Type.Literal('adapter'), Type.Literal('base')]),
  name: Type.String(),
  base_model: Type.String(),
  version: Type.Optional(Type.Integer()),
  sha256: Type.String(),
  rank: Type.Optional(Type.Integer()),
  datanet_ids: Type.Array(Type.String()),
  price_per_1k_tokens_wei: Type.String(),
});
export const ModelList = Type.Object({ object: Type.Literal('list'), data: Type.Array(ModelEntry) });
