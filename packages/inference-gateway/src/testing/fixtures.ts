import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AdapterRef } from '../engine/types.js';
import { TINY_BASE, writeTinyBaseModel, writeTinyLoraAdapter, type TinyBaseSpec } from './tiny-models.js';

export interface EngineFixtures {
  dir: string;
  adapterDir: string;
  cacheDir: string;
  basePath: string;
  spec: TinyBaseSpec;
  /** Adapter refs by name (a, b, c, d: valid; corrupt: declares lora_a as I32, which llama.cpp's CPU matmul aborts on). */
  adapters: Record<'a' | 'b' | 'c' | 'd' | 'corrupt', AdapterRef>;
  adapterBytes: number;
}

export const sha256Hex = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

/** Writes a tiny base model and a few LoRA adapters for it into a fresh temp directory. */
export async function createEngineFixtures(spec: TinyBaseSpec = TINY_BASE, rank = 8): Promise<EngineFixtures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'openlora-'));
  const adapterDir = path.join(dir, 'adapters');
  await mkdir(adapterDir);
  const basePath = path.join(dir, 'base.gguf');
  await writeTinyBaseModel(basePath, spec);
  const make = async (name: string, seed: number, corruptLoraAType?: number): Promise<AdapterRef> => {
    const file = path.join(adapterDir, `${name}.gguf`);
    await writeTinyLoraAdapter(file, spec, { rank, alpha: rank, seed, corruptLoraAType });
    return { adapterId: name, sha256: sha256Hex(await readFile(file)), uri: file };
  };
  const adapters = { a: await make('a', 1), b: await make('b', 2), c: await make('c', 3), d: await make('d', 4), corrupt: await make('corrupt', 5, 26) };
  const adapterBytes = (await readFile(adapters.a.uri)).length;
  return { dir, adapterDir, cacheDir: path.join(dir, 'cache'), basePath, spec, adapters, adapterBytes };
}
