import { writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';
import { mulberry32 as rng } from '@openledger/service-kit';

/**
 * Tiny llama-architecture GGUF models and LoRA adapters with seeded random weights, written here so tests
 * and the bench never download a model. Key names and tensor layouts follow llama.cpp
 * (gguf-py constants, llama-model.cpp LLM_ARCH_LLAMA tensors, llama-adapter.cpp LoRA checks).
 */
export interface TinyBaseSpec {
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nFf: number;
  contextLength: number;
  seed: number;
}

/** Test-sized: a few hundred KB, loads in milliseconds. */
export const TINY_BASE: TinyBaseSpec = { nEmbd: 64, nLayer: 2, nHead: 4, nFf: 128, contextLength: 512, seed: 1 };
/** Bench-sized: ~26M parameters. */
export const BENCH_BASE: TinyBaseSpec = { nEmbd: 512, nLayer: 8, nHead: 8, nFf: 1408, contextLength: 1024, seed: 7 };

function uniform(n: number, scale: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}

const SPM_SPACE = '\u2581';
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** A SentencePiece-style vocabulary llama.cpp's SPM tokenizer accepts: specials, 256 byte-fallback tokens, ASCII pieces, a few merges. */
export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores: number[] = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
  const pieces = [SPM_SPACE];
  for (let c = 33; c < 127; c++) pieces.push(String.fromCharCode(c));
  const merges = ['th', 'he', 'in', 'er', 'an', 're', 'on', 'at', 'en', 'nd', `${SPM_SPACE}t`, `${SPM_SPACE}a`, `${SPM_SPACE}s`, `${SPM_SPACE}the`, `${SPM_SPACE}and`, 'the', 'ing'];
  pieces.forEach((p) => { tokens.push(p); types.push(TOKEN_TYPE.normal); scores.push(-1); });
  merges.forEach((m, i) => { tokens.push(m); types.push(TOKEN_TYPE.normal); scores.push(-0.5 + i / 1000); });
  return { tokens, scores, types };
}

/** Weight matrix names of one llama block with their ggml dims [n_in, n_out]. */
export function blockMatrices(spec: TinyBaseSpec): Record<string, [number, number]> {
  return {
    attn_q: [spec.nEmbd, spec.nEmbd],
    attn_k: [spec.nEmbd, spec.nEmbd],
    attn_v: [spec.nEmbd, spec.nEmbd],
    attn_output: [spec.nEmbd, spec.nEmbd],
    ffn_gate: [spec.nEmbd, spec.nFf],
    ffn_up: [spec.nEmbd, spec.nFf],
    ffn_down: [spec.nFf, spec.nEmbd],
  };
}

export function baseParameterCount(spec: TinyBaseSpec): number {
  const nVocab = tinyVocabulary().tokens.length;
  const perBlock = Object.values(blockMatrices(spec)).reduce((s, [a, b]) => s + a * b, 0) + 2 * spec.nEmbd;
  return 2 * nVocab * spec.nEmbd + spec.nEmbd + spec.nLayer * perBlock;
}

/** Output projection; rows of specials and byte tokens are damped so generations are mostly printable ASCII. */
function outputWeights(nEmbd: number, nVocab: number, next: () => number): Float32Array {
  const w = uniform(nEmbd * nVocab, 3 * Math.sqrt(3 / nEmbd), next);
  for (let v = 0; v < 3 + 256; v++) for (let i = 0; i < nEmbd; i++) w[v * nEmbd + i]! *= 0.05;
  return w;
}

export async function writeTinyBaseModel(path: string, spec: TinyBaseSpec = TINY_BASE): Promise<void> {
  const vocab = tinyVocabulary();
  const nVocab = vocab.tokens.length;
  const next = rng(spec.seed);
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.type': { type: 'string', value: 'model' },
    'general.name': { type: 'string', value: `openledger-tiny-${spec.nEmbd}x${spec.nLayer}-s${spec.seed}` },
    'general.file_type': { type: 'u32', value: 0 },
    'llama.context_length': { type: 'u32', value: spec.contextLength },
    'llama.embedding_length': { type: 'u32', value: spec.nEmbd },
    'llama.block_count': { type: 'u32', value: spec.nLayer },
    'llama.feed_forward_length': { type: 'u32', value: spec.nFf },
    'llama.attention.head_count': { type: 'u32', value: spec.nHead },
    'llama.attention.head_count_kv': { type: 'u32', value: spec.nHead },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.rope.dimension_count': { type: 'u32', value: spec.nEmbd / spec.nHead },
    'llama.rope.freq_base': { type: 'f32', value: 10000 },
    'llama.vocab_size': { type: 'u32', value: nVocab },
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'f32[]', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: vocab.types },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: 0 },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: 1 },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: 2 },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const matrix = (name: string, nIn: number, nOut: number): GgufTensor => ({ name, dims: [nIn, nOut], data: uniform(nIn * nOut, Math.sqrt(3 / nIn), next) });
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [spec.nEmbd, nVocab], data: uniform(spec.nEmbd * nVocab, 1, next) },
    { name: 'output_norm.weight', dims: [spec.nEmbd], data: ones(spec.nEmbd) },
    { name: 'output.weight', dims: [spec.nEmbd, nVocab], data: outputWeights(spec.nEmbd, nVocab, next) },
  ];
  for (let l = 0; l < spec.nLayer; l++) {
    tensors.push({ name: `blk.${l}.attn_norm.weight`, dims: [spec.nEmbd], data: ones(spec.nEmbd) });
    tensors.push({ name: `blk.${l}.ffn_norm.weight`, dims: [spec.nEmbd], data: ones(spec.nEmbd) });
    for (const [m, [nIn, nOut]] of Object.entries(blockMatrices(spec))) tensors.push(matrix(`blk.${l}.${m}.weight`, nIn, nOut));
  }
  await writeGguf(path, metadata, tensors);
}

export interface TinyLoraSpec {
  rank: number;
  alpha: number;
  seed: number;
  /** Block matrices the adapter patches (default q and v, as most LoRA fine-tunes do). */
  targets?: string[];
  /** Forge a malformed adapter: lora_a tensors declared with this ggml type (e.g. 26 = I32) instead of F32. */
  corruptLoraAType?: number;
}

/** A LoRA adapter GGUF for a base of `base` shape: `<tensor>.lora_a` dims [n_in, r], `.lora_b` dims [r, n_out]. */
export async function writeTinyLoraAdapter(path: string, base: TinyBaseSpec, lora: TinyLoraSpec): Promise<void> {
  const next = rng(lora.seed * 7919 + 13);
  const targets = lora.targets ?? ['attn_q', 'attn_v'];
  const shapes = blockMatrices(base);
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.type': { type: 'string', value: 'adapter' },
    'general.name': { type: 'string', value: `openledger-tiny-lora-r${lora.rank}-s${lora.seed}` },
    'adapter.type': { type: 'string', value: 'lora' },
    'adapter.lora.alpha': { type: 'f32', value: lora.alpha },
  };
  const tensors: GgufTensor[] = [];
  for (let l = 0; l < base.nLayer; l++) {
    for (const target of targets) {
      const shape = shapes[target];
      if (!shape) throw new Error(`unknown LoRA target ${target}`);
      const [nIn, nOut] = shape;
      const name = `blk.${l}.${target}.weight`;
      tensors.push({ name: `${name}.lora_a`, dims: [nIn, lora.rank], data: uniform(nIn * lora.rank, Math.sqrt(3 / nIn), next), ggmlType: lora.corruptLoraAType });
      tensors.push({ name: `${name}.lora_b`, dims: [lora.rank, nOut], data: uniform(lora.rank * nOut, 2 * Math.sqrt(3 / lora.rank), next) });
    }
  }
  await writeGguf(path, metadata, tensors);
}
