import { Wallet, hexlify, parseEther, randomBytes, type JsonRpcProvider } from 'ethers';
import { anvilChain, createProvider } from '../chains.js';
import { connectDeployment } from '../contracts.js';
import { deployStack, startAnvil, type AnvilInstance } from '../testing.js';
import { RewardTree, type RewardEntry } from './index.js';

let anvil: AnvilInstance;
let provider: JsonRpcProvider;

beforeAll(async () => {
  anvil = await startAnvil();
  provider = createProvider(anvilChain({ rpcUrl: anvil.rpcUrl }));
}, 60_000);

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

test('AttributionSettlement pays claims proven against a RewardTree root, and refuses a wrong amount', async () => {
  const deployment = await deployStack(anvil.rpcUrl);
  const settler = new Wallet(anvil.accounts[0]!.privateKey, provider); // config/deploy.local.json settler
  const contracts = connectDeployment(deployment, settler);
  const entries: RewardEntry[] = Array.from({ length: 57 }, (_, i) => ({
    account: hexlify(randomBytes(20)),
    cumulativeAmount: parseEther(String(1 + (i % 9))) + BigInt(i),
  }));
  const total = entries.reduce((sum, e) => sum + e.cumulativeAmount, 0n);
  const tree = RewardTree.of(entries);

  await (await contracts.OpenToken.approve(deployment.contracts.AttributionSettlement, total)).wait();
  const epoch = (await contracts.AttributionSettlement.lastPostedEpoch()) + 1n;
  await (await contracts.AttributionSettlement.fund(epoch, total)).wait();
  await (await contracts.AttributionSettlement.postRoot(epoch, tree.root, total, 'ipfs://epoch')).wait();
  const window = await contracts.AttributionSettlement.challengeWindow();
  await anvil.rpc('evm_increaseTime', [Number(window) + 1]);
  await anvil.rpc('evm_mine');
  expect(await contracts.AttributionSettlement.isClaimable(tree.root)).toBe(true);
  expect((await contracts.AttributionSettlement.rootInfo(tree.root)).epoch).toBe(epoch);

  const anyone = connectDeployment(deployment, new Wallet(anvil.accounts[9]!.privateKey, provider));
  for (const index of [0, 13, 56]) {
    const claim = tree.claimFor(entries[index]!.account)!;
    await (await anyone.AttributionSettlement.claim(claim.account, claim.cumulativeAmount, claim.proof)).wait();
    expect(await contracts.OpenToken.balanceOf(claim.account)).toBe(entries[index]!.cumulativeAmount);
  }
  const other = tree.claimFor(entries[20]!.account)!;
  await expect(anyone.AttributionSettlement.claim(other.account, other.cumulativeAmount + 1n, other.proof)).rejects.toThrow();
}, 300_000);
