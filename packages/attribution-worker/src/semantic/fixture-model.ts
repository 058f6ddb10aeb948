import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { mulberry32 } from '@openledger/service-kit';

/**
 * Writes a tiny BERT-shaped embedding model for tests and benches: no download, deterministic.
 * Graph (ONNX opset 13): last_hidden_state = Tanh((Gather(word, input_ids) + Gather(type, token_type_ids)) · W)
 * × attention_mask. With mean pooling this is a seeded bag-of-words encoder: texts sharing words are close.
 * The protobuf is written by hand with the ONNX field numbers (onnx/onnx.proto).
 */

/** Special tokens, single characters (so every ASCII word tokenizes) and a small word list. */
/** Function words: near-zero vectors, so texts are close when they share content words. */
const STOP_WORDS = ['the', 'a', 'of', 'and', 'to', 'in', 'is', 'on', 'for', 'with', 'from', 'at', 'by', 'it', 'as', '.', ',', '!', '?'];

export const FIXTURE_WORDS = [
  ...STOP_WORDS,
  'cat', 'dog', 'bird', 'fish', 'horse', 'cow', 'sheep', 'mouse',
  'sat', 'ran', 'flew', 'swam', 'ate', 'slept', 'jumped', 'sang',
  'mat', 'tree', 'river', 'field', 'house', 'road', 'sea', 'sky',
  'red', 'blue', 'green', 'small', 'big', 'old', 'young', 'quiet',
  'bitcoin', 'ledger', 'token', 'model', 'data', 'reward', 'proof', 'chain', 'block',
  'rain', 'sun', 'snow', 'wind', 'cloud', 'storm', 'weather', 'cold', 'warm',
  'bread', 'milk', 'cheese', 'apple', 'soup', 'recipe', 'bake', 'cook',
];

export interface FixtureModelOptions {
  hidden?: number;
  seed?: number;
}

/** Seeded floats in [-1, 1). */
function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}

export function fixtureVocab(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...letters, ...letters.map((c) => `##${c}`)];
  for (const w of FIXTURE_WORDS) if (!vocab.includes(w)) vocab.push(w);
  return vocab;
}

type W = protobuf.Writer;
const FLOAT = 1;
const INT64 = 7;

function str(w: W, field: number, s: string): void {
  w.uint32((field << 3) | 2).string(s);
}
function msg(w: W, field: number, body: (w: W) => void): void {
  w.uint32((field << 3) | 2).fork();
  body(w);
  w.ldelim();
}
function int(w: W, field: number, v: number): void {
  w.uint32((field << 3) | 0).int64(v);
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian). */
function tensor(w: W, field: number, name: string, dims: number[], type: number, raw: Uint8Array): void {
  msg(w, field, (t) => {
    for (const d of dims) int(t, 1, d);
    int(t, 2, type);
    str(t, 8, name);
    t.uint32((9 << 3) | 2).bytes(raw);
  });
}

/** ValueInfoProto: name=1, type=2 → TypeProto.tensor_type=1 → elem_type=1, shape=2 → dim=1 (dim_value=1 | dim_param=2). */
function valueInfo(w: W, field: number, name: string, elem: number, dims: Array<number | string>): void {
  msg(w, field, (v) => {
    str(v, 1, name);
    msg(v, 2, (tp) =>
      msg(tp, 1, (tt) => {
        int(tt, 1, elem);
        msg(tt, 2, (shape) => {
          for (const d of dims) msg(shape, 1, (dim) => (typeof d === 'number' ? int(dim, 1, d) : str(dim, 2, d)));
        });
      }),
    );
  });
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5 (AttributeProto name=1, i=3, type=20). */
function node(w: W, op: string, inputs: string[], outputs: string[], attrs: Record<string, number> = {}): void {
  msg(w, 1, (n) => {
    for (const i of inputs) str(n, 1, i);
    for (const o of outputs) str(n, 2, o);
    str(n, 3, `${op}_${outputs[0]}`);
    str(n, 4, op);
    for (const [k, v] of Object.entries(attrs)) {
      msg(n, 5, (a) => {
        str(a, 1, k);
        int(a, 3, v);
        int(a, 20, 2); // AttributeType.INT
      });
    }
  });
}

const f32 = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** The ONNX ModelProto bytes (ir_version=1, graph=7, opset_import=8). */
export function fixtureOnnx(vocab: readonly string[], hidden: number, seed: number): Uint8Array {
  const next = rng(seed);
  const fill = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => next() * scale);
  const vocabSize = vocab.length;
  // content words weigh 1, special tokens and function words 0.05, word pieces 0.3
  const word = new Float32Array(vocabSize * hidden);
  vocab.forEach((t, i) => {
    const scale = t.startsWith('[') || STOP_WORDS.includes(t) ? 0.05 : t.length === 1 || t.startsWith('##') ? 0.3 : 1;
    word.set(fill(hidden, scale), i * hidden);
  });
  const type = fill(2 * hidden, 0.01);
  // near-identity projection: the embedding stays close to the mean of its words' vectors
  const proj = fill(hidden * hidden, 0.1 / Math.sqrt(hidden));
  for (let i = 0; i < hidden; i++) proj[i * hidden + i]! += 1;
  const axes = new BigInt64Array([2n]);
  const w = protobuf.Writer.create();
  int(w, 1, 8); // ir_version 8
  str(w, 2, 'openledger-fixture');
  msg(w, 7, (g) => {
    node(g, 'Gather', ['word_embeddings', 'input_ids'], ['words'], { axis: 0 });
    node(g, 'Gather', ['type_embeddings', 'token_type_ids'], ['types'], { axis: 0 });
    node(g, 'Add', ['words', 'types'], ['embedded']);
    node(g, 'MatMul', ['embedded', 'projection'], ['projected']);
    node(g, 'Tanh', ['projected'], ['activated']);
    node(g, 'Cast', ['attention_mask'], ['mask_f'], { to: FLOAT });
    node(g, 'Unsqueeze', ['mask_f', 'axes'], ['mask_3d']);
    node(g, 'Mul', ['activated', 'mask_3d'], ['last_hidden_state']);
    str(g, 2, 'fixture_bert');
    tensor(g, 5, 'word_embeddings', [vocabSize, hidden], FLOAT, f32(word));
    tensor(g, 5, 'type_embeddings', [2, hidden], FLOAT, f32(type));
    tensor(g, 5, 'projection', [hidden, hidden], FLOAT, f32(proj));
    tensor(g, 5, 'axes', [1], INT64, new Uint8Array(axes.buffer));
    valueInfo(g, 11, 'input_ids', INT64, ['batch_size', 'sequence_length']);
    valueInfo(g, 11, 'attention_mask', INT64, ['batch_size', 'sequence_length']);
    valueInfo(g, 11, 'token_type_ids', INT64, ['batch_size', 'sequence_length']);
    valueInfo(g, 12, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', hidden]);
  });
  msg(w, 8, (o) => {
    str(o, 1, '');
    int(o, 2, 13);
  });
  return w.finish();
}

function tokenizerJson(vocab: string[]): unknown {
  const ids = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const sp = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((t) => ({ id: ids[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [sp('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, sp('[SEP]', 0)],
      pair: [sp('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, sp('[SEP]', 0), { Sequence: { id: 'B', type_id: 1 } }, sp('[SEP]', 1)],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [ids[t]], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

/** Writes config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx into `dir`; returns `dir`. */
export function writeFixtureModel(dir: string, options: FixtureModelOptions = {}): string {
  const hidden = options.hidden ?? 32;
  const seed = options.seed ?? 7;
  const vocab = fixtureVocab();
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: hidden, vocab_size: vocab.length, type_vocab_size: 2, max_position_embeddings: 512, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: hidden }, null, 2),
  );
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]', clean_up_tokenization_spaces: true }, null, 2),
  );
  writeFileSync(join(dir, 'onnx', 'model.onnx'), fixtureOnnx(vocab, hidden, seed));
  return dir;
}
