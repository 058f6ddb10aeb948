import { Wallet, JsonRpcProvider, NonceManager, parseEther, type Signer } from 'ethers';
import { connectDeployment, type Deployment } from '@openledger/sdk';
import { ANVIL_PRIVATE_KEYS, deployStack, startAnvil, type AnvilInstance } from '@openledger/sdk/testing';

export interface TestChain {
  anvil: AnvilInstance;
  deployment: Deployment;
  provider: JsonRpcProvider;
  wallet(index: number): Signer & { address: string };
  stop(): Promise<void>;
}

/** A real anvil node with the whole stack deployed by the real deploy script. */
export async function startTestChain(): Promise<TestChain> {
  const anvil = await startAnvil();
  const deployment = await deployStack(anvil.rpcUrl);
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true });
  const wallets = new Map<number, Signer & { address: string }>();
  return {
    anvil,
    deployment,
    provider,
    wallet(index) {
      let w = wallets.get(index);
      if (!w) {
        const base = new Wallet(ANVIL_PRIVATE_KEYS[index]!, provider);
        w = Object.assign(new NonceManager(base), { address: base.address });
        wallets.set(index, w);
      }
      return w;
    },
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
}

/** Gives `to` OPEN from the deployer (anvil account 0 holds the liquid TGE allocation) and deposits it in FeeEscrow. */
export async function fundEscrow(chain: TestChain, toIndex: number, amountOpen: string): Promise<void> {
  const amount = parseEther(amountOpen);
  const deployer = connectDeployment(chain.deployment, chain.wallet(0));
  await (await deployer.OpenToken.transfer(chain.wallet(toIndex).address, amount)).wait();
  const user = connectDeployment(chain.deployment, chain.wallet(toIndex));
  await (await user.OpenToken.approve(chain.deployment.contracts.FeeEscrow, amount)).wait();
  await (await user.FeeEscrow.deposit(amount)).wait();
}
