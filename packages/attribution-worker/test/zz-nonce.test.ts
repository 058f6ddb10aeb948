import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { startAnvil } from '@openledger/sdk/testing';
it('nonce', async () => {
  const anvil = await startAnvil();
  const provider = new JsonRpcProvider(anvil.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 100 });
  const w = new Wallet(anvil.accounts[5]!.privateKey, provider);
  for (let i = 0; i < 3; i++) {
    const tx = await w.sendTransaction({ to: anvil.accounts[6]!.address, value: parseEther('1') });
    const r = await tx.wait();
    console.log(i, tx.nonce, r?.blockNumber, await provider.getTransactionCount(w.address, 'pending'), await provider.getTransactionCount(w.address, 'latest'));
  }
  await anvil.stop();
});
