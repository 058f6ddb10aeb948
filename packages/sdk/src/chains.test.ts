import { anvilChain, chainConfig, chainConfigFromEnv, createProvider, opStackChain } from './chains.js';
import { ChainConfigError } from './errors.js';
import { startAnvil } from './testing.js';

test('anvil and OP Stack configs', () => {
  expect(anvilChain()).toMatchObject({ kind: 'anvil', chainId: 31337, confirmations: 0 });
  expect(opStackChain({ rpcUrl: 'https://l2.example', chainId: 8453 })).toMatchObject({ kind: 'op-stack', confirmations: 5 });
  expect(chainConfig({ rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 }).kind).toBe('anvil');
  expect(chainConfig({ rpcUrl: 'http://127.0.0.1:9545', chainId: 901 }).kind).toBe('op-stack');
  expect(() => opStackChain({ rpcUrl: 'not a url', chainId: 10 })).toThrow(ChainConfigError);
  expect(() => opStackChain({ rpcUrl: 'ftp://x', chainId: 10 })).toThrow(/http/);
  expect(() => opStackChain({ rpcUrl: 'wss://x', chainId: 10 })).toThrow(/http\(s\)/);
  expect(() => opStackChain({ rpcUrl: 'http://x', chainId: 0 })).toThrow(/chainId/);
});

test('createProvider talks to a real anvil with the configured chain id', async () => {
  const anvil = await startAnvil({ chainId: 902 });
  try {
    const provider = createProvider(opStackChain({ rpcUrl: anvil.rpcUrl, chainId: 902 }));
    expect((await provider.getNetwork()).chainId).toBe(902n);
    expect(await provider.getBalance(anvil.accounts[0]!.address)).toBe(10_000n * 10n ** 18n);
    // no 250 ms read cache: a block mined in between is seen at once
    const before = await provider.getBlockNumber();
    await anvil.rpc('evm_mine');
    expect(await provider.getBlockNumber()).toBe(before + 1);
    provider.destroy();
  } finally {
    await anvil.stop();
  }
});

test('chainConfigFromEnv names the bad variable', () => {
  expect(chainConfigFromEnv({ RPC_URL: 'http://127.0.0.1:8545' })).toMatchObject({ kind: 'anvil', chainId: 31337 });
  expect(chainConfigFromEnv({ RPC_URL: 'https://l2', CHAIN_ID: '8453', CONFIRMATIONS: '12' })).toMatchObject({ kind: 'op-stack', confirmations: 12 });
  expect(() => chainConfigFromEnv({})).toThrow(/RPC_URL is required/);
  expect(() => chainConfigFromEnv({ RPC_URL: 'http://x', CHAIN_ID: 'ten' })).toThrow(/CHAIN_ID must be/);
  expect(() => chainConfigFromEnv({ RPC_URL: 'nope' })).toThrow(/RPC_URL/);
  try {
    chainConfigFromEnv({ RPC_URL: 'http://x', CHAIN_ID: '0' });
  } catch (error) {
    expect((error as ChainConfigError).field).toBe('CHAIN_ID');
  }
});
