import { existsSync } from 'node:fs';

/** A CUDA device node means the CUDA prebuilt can run; otherwise the CPU build is used (no Vulkan/Metal probing). */
export function detectGpu(): 'cuda' | false {
  return existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0') ? 'cuda' : false;
}
