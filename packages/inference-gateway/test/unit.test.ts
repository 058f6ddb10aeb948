import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { AdapterLru } from '../src/engine/runtime/adapter-lru.js';
import { feeFor } from '../src/services/usage-recorder.js';
import { formatChatPrompt } from '../src/engine/prompt.js';
import { chooseGpu } from '../src/engine/runtime/gpu.js';

test('configuration errors name the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadConfig({ OPERATOR_ADDRESS: '0x123' })).toThrow(/OPERATOR_ADDRESS/);
  expect(() => loadConfig({ ENGINE_THREADS: '0' })).toThrow(/ENGINE_THREADS/);
  const c = loadConfig({ ADAPTER_MEMORY_MB: '64', RPC_URL: 'http://127.0.0.1:8545' });
  expect(c.engine.adapterMemoryBytes).toBe(64 * 1024 * 1024);
  expect(c.engine.threads).toBe(1);
  expect(c.chain?.chainId).toBe(31337);
});

test('LRU picks the oldest unpinned, unused adapters until the incoming one fits', () => {
  const lru = new AdapterLru(300);
  for (const sha of ['a', 'b', 'c']) lru.add({ sha256: sha, path: sha, bytes: 100, inUse: 0 });
  lru.get('a'); // a becomes the most recent: b is now the oldest
  expect(lru.victims(100).map((v) => v.sha256)).toEqual(['b']);
  lru.pin('b', true);
  lru.get('c')!.inUse = 1;
  expect(lru.victims(100).map((v) => v.sha256)).toEqual(['a']);
  expect(lru.victims(250).map((v) => v.sha256)).toEqual(['a']); // nothing else may go: the budget is exceeded rather than evicting in-use or pinned
  expect(new AdapterLru(1e9, 2).victims(0)).toEqual([]);
});

test('fees round up to the wei and chat prompts are formatted the same way everywhere', () => {
  expect(feeFor(10n ** 15n, 1000)).toBe(10n ** 15n);
  expect(feeFor(1n, 1)).toBe(1n);
  expect(feeFor(0n, 123)).toBe(0n);
  expect(formatChatPrompt([{ role: 'system', content: 's' }, { role: 'user', content: 'u' }])).toBe('system: s\nuser: u\nassistant:');
});

test('GPU choice: CUDA only where an NVIDIA device and the CUDA runtime are both present, else the CPU build and why', async () => {
  const probe = (device: boolean, supported: string[] | Error) => ({
    nvidiaDevice: () => device,
    supported: async () => {
      if (supported instanceof Error) throw supported;
      return supported as ('cuda' | 'vulkan' | 'metal')[];
    },
  });
  expect(await chooseGpu(false, probe(true, ['cuda', 'vulkan']))).toEqual({ gpu: 'cuda', reason: 'NVIDIA device and CUDA runtime present' });
  expect(await chooseGpu(false, probe(true, ['vulkan']))).toMatchObject({ gpu: false, reason: expect.stringContaining('CUDA runtime libraries were not found') });
  expect(await chooseGpu(false, probe(true, new Error('probe failed')))).toMatchObject({ gpu: false });
  expect(await chooseGpu(false, probe(false, ['cuda']))).toEqual({ gpu: false, reason: 'no NVIDIA device' });
  expect(await chooseGpu(true, probe(true, ['cuda']))).toEqual({ gpu: false, reason: 'CPU forced' });
  // the real probe: without NVIDIA device nodes (this machine, CI) the engines run the CPU build
  if (!existsSync('/dev/nvidiactl') && !existsSync('/dev/nvidia0')) expect(await chooseGpu(false)).toEqual({ gpu: false, reason: 'no NVIDIA device' });
});
