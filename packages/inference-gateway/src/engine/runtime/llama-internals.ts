import path from 'node:path';
import type { LlamaContext, LlamaModel } from 'node-llama-cpp';

/**
 * node-llama-cpp 3.22.x sets LoRA adapters only at context creation in its public API. Switching adapters
 * between requests on a live context (the point of multi-tenant serving) uses three internal members,
 * isolated here so a version bump breaks one file: `LlamaContext._setLoras` (calls llama_set_adapters_lora),
 * `LlamaModel._getOrLoadLora` (llama_adapter_lora_init, cached per path) and `LlamaModel._loraAdapters`.
 * The version is pinned (~3.22) in package.json for this reason.
 */
interface AddonLora { dispose(): Promise<void>; usages: number }
interface ContextInternals { _setLoras(l: { filePath: string; scale?: number }[]): Promise<void>; _loraAdapters: Set<AddonLora> }
interface ModelInternals { _getOrLoadLora(filePath: string): Promise<AddonLora>; _loraAdapters: Map<string, AddonLora> }

export async function loadLora(model: LlamaModel, filePath: string): Promise<void> {
  await (model as unknown as ModelInternals)._getOrLoadLora(filePath);
}

export async function setContextLoras(context: LlamaContext, loras: { filePath: string; scale: number }[]): Promise<void> {
  await (context as unknown as ContextInternals)._setLoras(loras);
}

/** Frees an adapter's tensors. Callers first detach it from every context (setContextLoras without it). */
export async function unloadLora(model: LlamaModel, contexts: LlamaContext[], filePath: string): Promise<void> {
  const internals = model as unknown as ModelInternals;
  const resolved = path.resolve(process.cwd(), filePath);
  const lora = internals._loraAdapters.get(resolved);
  if (!lora) return;
  internals._loraAdapters.delete(resolved);
  for (const c of contexts) (c as unknown as ContextInternals)._loraAdapters.delete(lora);
  await lora.dispose();
}
