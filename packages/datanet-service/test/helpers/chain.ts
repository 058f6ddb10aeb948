import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractFactory, JsonRpcProvider, NonceManager, Wallet, type InterfaceAbi } from 'ethers';
import { getDatanetRegistry, getOpenToken, type Deployment } from '@openledger/sdk';
import { ANVIL_ADDRESSES, ANVIL_PRIVATE_KEYS, CONTRACTS_DIR, deployStack, jsonRpc, startAnvil, type AnvilInstance } from '@openledger/sdk/testing';

export interface TestChain {
  anvil: AnvilInstance;
  deployment: Deployment;
  provider: JsonRpcProvider;
  /** Wallets of anvil accounts 0.. (0 is the deployer holding the liquid OPEN). */
  wallets: Wallet[];
  stop(): Promise<void>;
}

function artifact(file: string, name: string): { abi: InterfaceAbi; bytecode: string } {
  const json = JSON.parse(readFileSync(join(CONTRACTS_DIR, 'out', file, `${name}.json`), 'utf8')) as { abi: InterfaceAbi; bytecode: { object: string } };
  return { abi: json.abi, bytecode: json.bytecode.object };
}

/**
 * anvil + the real deploy script. While the deploy script does not deploy the economy contracts yet
 * (DatanetRegistry is the zero address), the registry is deployed here from the forge artifacts behind
 * an ERC1967 proxy, initialized like the deploy script would (deployer as governance and treasury).
 */
export async function startTestChain(): Promise<TestChain> {
  const shared = process.env.DATANET_TEST_CHAIN;
  if (shared) {
    // one anvil + deployment for the whole run (test/global-setup.ts); each user gets a snapshot
    const { rpcUrl, chainId, deployment } = JSON.parse(shared) as { rpcUrl: string; chainId: number; deployment: Deployment };
    const rpc = <T>(method: string, params: unknown[] = []) => jsonRpc<T>(rpcUrl, method, params);
    const snapshot = await rpc<string>('evm_snapshot');
    const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    const accounts = ANVIL_PRIVATE_KEYS.map((privateKey, i) => ({ privateKey, address: ANVIL_ADDRESSES[i]! }));
    const anvil = { rpcUrl, chainId, port: Number(new URL(rpcUrl).port), accounts, rpc, stop: async () => undefined } as unknown as AnvilInstance;
    return {
      anvil,
      deployment,
      provider,
      wallets: accounts.map((a) => new Wallet(a.privateKey, provider)),
      async stop() {
        provider.destroy();
        await rpc('evm_revert', [snapshot]);
      },
    };
  }
  const anvil = await startAnvil();
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const wallets = anvil.accounts.map((a) => new Wallet(a.privateKey, provider));
  let deployment = await deployStack(anvil.rpcUrl);
  if (/^0x0{40}$/i.test(deployment.contracts.DatanetRegistry)) {
    const deployer = new NonceManager(wallets[0]!);
    const impl = artifact('DatanetRegistry.sol', 'DatanetRegistry');
    const proxy = artifact('ERC1967Proxy.sol', 'ERC1967Proxy');
    const implementation = await (await new ContractFactory(impl.abi, impl.bytecode, deployer).deploy()).waitForDeployment();
    const registry = getDatanetRegistry(await implementation.getAddress());
    const init = registry.interface.encodeFunctionData('initialize', [
      deployment.contracts.OpenToken,
      wallets[0]!.address,
      wallets[0]!.address,
      1000,
      false,
      86400,
    ]);
    const deployed = await (await new ContractFactory(proxy.abi, proxy.bytecode, deployer).deploy(await implementation.getAddress(), init)).waitForDeployment();
    deployment = { ...deployment, contracts: { ...deployment.contracts, DatanetRegistry: (await deployed.getAddress()) as `0x${string}` } };
  }
  return {
    anvil,
    deployment,
    provider,
    wallets,
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
}

/** Gives `to` some OPEN from the deployer and stakes `stake` of it on the datanet. */
export async function fundAndStake(chain: TestChain, who: Wallet, datanetId: bigint, amount: bigint, stake: bigint): Promise<void> {
  const token = getOpenToken(chain.deployment.contracts.OpenToken, chain.wallets[0]!);
  await (await token.transfer(who.address, amount)).wait();
  const asWho = getOpenToken(chain.deployment.contracts.OpenToken, who);
  await (await asWho.approve(chain.deployment.contracts.DatanetRegistry, stake)).wait();
  await (await getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, who).stake(datanetId, stake)).wait();
}
