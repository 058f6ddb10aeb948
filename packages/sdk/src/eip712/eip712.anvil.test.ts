import { Wallet, parseEther, type JsonRpcProvider } from 'ethers';
import { anvilChain, createProvider } from '../chains.js';
import { connectDeployment, type DeployedContracts } from '../contracts.js';
import type { Deployment } from '../deployment.js';
import { recordHash, batchRoot } from '../merkle/index.js';
import { decodeRevert } from '../revert.js';
import { deployStack, startAnvil, type AnvilInstance } from '../testing.js';
import {
  contributeTypedData,
  hashTypedDataPayload,
  permitTypedData,
  readEip712Domain,
  signTypedDataPayload,
  spendingAuthorizationTypedData,
  splitSignature,
} from './index.js';

// The typed data of this sdk checked by the deployed contracts themselves.
let anvil: AnvilInstance;
let provider: JsonRpcProvider;
let deployment: Deployment;
let owner: DeployedContracts;
let deployer: Wallet;
let contributor: Wallet;
let relayer: Wallet;

beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployStack(anvil.rpcUrl);
  provider = createProvider(anvilChain({ rpcUrl: anvil.rpcUrl }));
  deployer = new Wallet(anvil.accounts[0]!.privateKey, provider);
  contributor = new Wallet(anvil.accounts[7]!.privateKey, provider);
  relayer = new Wallet(anvil.accounts[8]!.privateKey, provider);
  owner = connectDeployment(deployment, deployer);
  await (await owner.OpenToken.transfer(contributor.address, parseEther('1000'))).wait();
}, 300_000);

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

async function latestTimestamp(): Promise<bigint> {
  const block = await provider.send('eth_getBlockByNumber', ['latest', false]);
  return BigInt(block.timestamp);
}

test('an ERC-2612 permit signed from permitTypedData stakes through stakeWithPermit', async () => {
  const domain = await readEip712Domain(owner.OpenToken);
  expect(domain).toMatchObject({ name: 'OpenLedger', version: '1', chainId: 31337n, verifyingContract: deployment.contracts.OpenToken });
  await (await owner.DatanetRegistry.createDatanet('permit-net', 'ipfs://meta', parseEther('10'), [])).wait();
  const datanetId = await owner.DatanetRegistry.datanetCount();
  const asContributor = connectDeployment(deployment, contributor);
  const deadline = (await latestTimestamp()) + 3600n;
  const permit = permitTypedData({
    chainId: 31337,
    token: deployment.contracts.OpenToken,
    tokenName: domain.name,
    version: domain.version,
    message: { owner: contributor.address, spender: deployment.contracts.DatanetRegistry, value: parseEther('25'), nonce: await owner.OpenToken.nonces(contributor.address), deadline },
  });
  const { v, r, s } = splitSignature(await signTypedDataPayload(contributor, permit));
  await (await asContributor.DatanetRegistry.stakeWithPermit(datanetId, parseEther('25'), deadline, v, r, s)).wait();
  expect((await owner.DatanetRegistry.stakeOf(datanetId, contributor.address)).amount).toBe(parseEther('25'));
});

test('a relayer submits a contribution with the contributor\'s Contribute signature, once', async () => {
  const datanetId = await owner.DatanetRegistry.datanetCount();
  const root = batchRoot(['a', 'b', 'c'].map((r) => recordHash(r)));
  const message = {
    datanetId,
    batchRoot: root,
    recordCount: 3,
    uri: 'openledger://batches/1',
    contributor: contributor.address,
    nonce: await owner.DatanetRegistry.nonces(contributor.address),
    deadline: (await latestTimestamp()) + 3600n,
  };
  const payload = contributeTypedData({ chainId: 31337, registry: deployment.contracts.DatanetRegistry, message });
  const signature = await signTypedDataPayload(contributor, payload);
  const asRelayer = connectDeployment(deployment, relayer);
  const submit = () =>
    asRelayer.DatanetRegistry.submitContributionFor(datanetId, root, 3, message.uri, contributor.address, message.deadline, signature);
  await (await submit()).wait();
  const id = await owner.DatanetRegistry.contributionCount();
  const stored = await owner.DatanetRegistry.contribution(id);
  expect(stored.contributor).toBe(contributor.address);
  expect(stored.batchRoot).toBe(root);
  await expect(submit()).rejects.toThrow(); // the nonce moved on: the same signature cannot be replayed
  const forged = await signTypedDataPayload(relayer, payload);
  const refused = await asRelayer.DatanetRegistry.submitContributionFor(datanetId, root, 3, message.uri, contributor.address, message.deadline, forged).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(decodeRevert(refused)).toMatchObject({ name: 'DatanetInvalidSignature', args: { contributor: contributor.address } });
});

test('FeeEscrow hashes a SpendingAuthorization to the digest this sdk computes', async () => {
  const auth = { payer: contributor.address, operator: relayer.address, cap: parseEther('5'), expiry: 2_000_000_000n };
  const payload = spendingAuthorizationTypedData({ chainId: 31337, escrow: deployment.contracts.FeeEscrow, message: auth });
  expect(await owner.FeeEscrow.hashAuthorization(auth)).toBe(hashTypedDataPayload(payload));
});
