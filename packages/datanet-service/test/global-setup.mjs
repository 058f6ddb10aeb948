// One anvil with the deployed contracts for every test file (the deploy script takes ~25 s);
// test files isolate themselves with evm_snapshot / evm_revert (see helpers/chain.ts).
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  delete process.env.DATANET_TEST_CHAIN;
  const { startTestChain } = await tsImport('./helpers/chain.ts', import.meta.url);
  const chain = await startTestChain();
  globalThis.__datanetChain = chain;
  process.env.DATANET_TEST_CHAIN = JSON.stringify({ rpcUrl: chain.anvil.rpcUrl, chainId: chain.anvil.chainId, deployment: chain.deployment });
}
