import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The files a local BERT-style feature-extraction model directory must hold (fp32 ONNX on CPU). */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', join('onnx', 'model.onnx')] as const;

export class EmbeddingModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingModelError';
  }
}

export interface Embedder {
  /** sha256 over the model files: vectors from another fingerprint are not comparable. */
  readonly fingerprint: string;
  readonly dim: number;
  /** L2-normalized, mean-pooled float32 embeddings, one per text, computed in batches. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface EmbedderOptions {
  batchSize?: number;
  /** Largest text embedded, in characters (the tokenizer truncates to the model's max length anyway). */
  maxChars?: number;
}

/** Checks the directory and hashes its files (the model must be trusted by hash before it is loaded). */
export function modelFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const file of MODEL_FILES) {
    const path = join(dir, file);
    if (!existsSync(path) || !statSync(path).isFile()) throw new EmbeddingModelError(`EMBEDDING_MODEL_DIR: ${path} is missing (need ${MODEL_FILES.join(', ')})`);
    hash.update(file).update('\0').update(readFileSync(path));
  }
  return hash.digest('hex');
}

/**
 * Loads a transformers.js feature-extraction pipeline from a local directory, offline. The library
 * (and onnxruntime-node) is imported here, lazily: a service without a model never pays for it.
 */
export async function loadEmbedder(modelDir: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const dir = resolve(modelDir);
  const fingerprint = modelFingerprint(dir);
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir);
  const extractor = await pipeline('feature-extraction', basename(dir), { dtype: 'fp32', device: 'cpu' });
  const batchSize = options.batchSize ?? 32;
  const maxChars = options.maxChars ?? 8192;
  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(texts, { pooling: 'mean', normalize: true });
    const [rows, dim] = output.dims as number[];
    const data = output.data as Float32Array;
    return Array.from({ length: rows! }, (_, i) => data.slice(i * dim!, (i + 1) * dim!));
  };
  const [probe] = await run(['probe']);
  const dim = probe!.length;
  return {
    fingerprint,
    dim,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        out.push(...(await run(texts.slice(i, i + batchSize).map((t) => (t.length > maxChars ? t.slice(0, maxChars) : t)))));
      }
      return out;
    },
    async close() {
      await extractor.dispose();
    },
  };
}
