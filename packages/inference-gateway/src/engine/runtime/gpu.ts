import { existsSync } from 'node:fs';
import { getLlamaGpuTypes, type LlamaGpuType } from 'node-llama-cpp';

export interface GpuChoice {
  gpu: 'cuda' | false;
  /** Why, for the engine's start-up log line. */
  reason: string;
}

export interface GpuProbe {
  /** An NVIDIA device node is present. */
  nvidiaDevice(): boolean;
  /** GPU types whose libraries and drivers node-llama-cpp finds on this machine (and has a prebuilt for). */
  supported(): Promise<LlamaGpuType[]>;
}

const systemProbe: GpuProbe = {
  nvidiaDevice: () => existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0'),
  supported: () => getLlamaGpuTypes('supported'),
};

/**
 * The CUDA build where a GPU and its runtime are both present, else the CPU build (no Vulkan/Metal probing).
 * A device without the CUDA libraries (a GPU node whose image lacks them) runs on the CPU rather than failing.
 */
export async function chooseGpu(forceCpu: boolean, probe: GpuProbe = systemProbe): Promise<GpuChoice> {
  if (forceCpu) return { gpu: false, reason: 'CPU forced' };
  if (!probe.nvidiaDevice()) return { gpu: false, reason: 'no NVIDIA device' };
  const supported = await probe.supported().catch(() => [] as LlamaGpuType[]);
  if (!supported.includes('cuda')) return { gpu: false, reason: 'NVIDIA device present but the CUDA runtime libraries were not found' };
  return { gpu: 'cuda', reason: 'NVIDIA device and CUDA runtime present' };
}
