import { Wallet } from 'ethers';
import { anvilChain, createProvider } from '../chains.js';
import { connectDeployment } from '../contracts.js';
import { CONTRACT_NAMES } from '../deployment.js';
import { createIndexer } from '../indexer/indexer.js';
import { MemoryCursorStore } from '../indexer/cursor.js';
import type { DecodedLog } from '../indexer/types.js';
import { startAnvil, type AnvilInstance } from './anvil.js';
import { deployStack } from './deploy-stack.js';

// forge may wait for the workspace forge lock or recompile changed sources
const DEPLOY_TIMEOUT = 300_000;

let anvil: AnvilInstance;

beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(async () => {
  await anvil?.stop();
});

test('deployStack runs Deploy.s.sol; typed clients and the indexer work against the deployment', async () => {
  const deployment = await deployStack(anvil.rpcUrl);
  expect(deployment.chainId).toBe(31337);
  for (const name of CONTRACT_NAMES) expect(deployment.contracts[name]).toMatch(/^0x[0-9a-fA-F]{40}$/);

  const provider = createProvider(anvilChain({ rpcUrl: anvil.rpcUrl }));
  try {
    const deployer = new Wallet(anvil.accounts[0]!.privateKey, provider);
    const contracts = connectDeployment(deployment, deployer);
    for (const name of CONTRACT_NAMES) expect(await provider.getCode(deployment.contracts[name])).not.toBe('0x');
    const supply = await contracts.OpenToken.totalSupply();
    expect(supply).toBeGreaterThan(0n);
    expect(await contracts.GOpenToken.underlying()).toBe(deployment.contracts.OpenToken);
    expect(await contracts.DatanetRegistry.datanetCount()).toBe(0n);
    expect(await contracts.TokenVesting.owner()).toBe(deployment.contracts.OpenTimelock);

    // A write through a typed client, then its event through the indexer.
    const recipient = anvil.accounts[5]!.address;
    await (await contracts.OpenToken.transfer(recipient, 12345n)).wait();
    const logs: DecodedLog[] = [];
    const indexer = createIndexer({
      provider,
      chainId: deployment.chainId,
      startBlock: deployment.startBlock,
      sources: [{ name: 'OpenToken', address: deployment.contracts.OpenToken, abi: contracts.OpenToken.interface.fragments, events: ['Transfer'] }],
      cursorStore: new MemoryCursorStore(),
      onEvent: async (event) => {
        if (event.type === 'block') logs.push(...event.logs);
      },
    });
    await indexer.syncToHead();
    const minted = logs.filter((l) => l.args.from === '0x0000000000000000000000000000000000000000');
    expect(minted.reduce((sum, l) => sum + (l.args.value as bigint), 0n)).toBe(supply);
    expect(logs.at(-1)!.args).toEqual({ from: deployer.address, to: recipient, value: 12345n });
  } finally {
    provider.destroy();
  }
}, DEPLOY_TIMEOUT);

test('a second deploy to the same node gives a second, independent stack', async () => {
  const [a, b] = await Promise.all([deployStack(anvil.rpcUrl), deployStack(anvil.rpcUrl)]);
  expect(a.contracts.OpenToken).not.toBe(b.contracts.OpenToken);
  expect(Math.abs(a.startBlock - b.startBlock)).toBeGreaterThan(0);
}, DEPLOY_TIMEOUT);

test('a bad deploy config fails with forge output in the error', async () => {
  await expect(deployStack(anvil.rpcUrl, { config: { bad: true } })).rejects.toThrow(/forge script/);
}, DEPLOY_TIMEOUT);
