import { HDNodeWallet, Mnemonic } from 'ethers';
import { ANVIL_ADDRESSES, ANVIL_PRIVATE_KEYS, startAnvil } from './anvil.js';

test('the bundled keys are anvil\'s default mnemonic accounts', () => {
  const mnemonic = Mnemonic.fromPhrase('test test test test test test test test test test test junk');
  for (let i = 0; i < 10; i++) {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    expect(wallet.privateKey).toBe(ANVIL_PRIVATE_KEYS[i]);
    expect(wallet.address).toBe(ANVIL_ADDRESSES[i]);
  }
});

test('startAnvil runs two nodes on free ports, with interval mining, and stops them', async () => {
  const [a, b] = await Promise.all([startAnvil(), startAnvil({ blockTime: 1 })]);
  try {
    expect(a.port).not.toBe(b.port);
    expect(Number(await a.rpc<string>('eth_chainId'))).toBe(31337);
    const first = Number(await b.rpc<string>('eth_blockNumber'));
    await new Promise((r) => setTimeout(r, 2200));
    expect(Number(await b.rpc<string>('eth_blockNumber'))).toBeGreaterThan(first);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  await expect(a.rpc('eth_chainId')).rejects.toThrow();
  expect(a.process.exitCode !== null || a.process.signalCode !== null).toBe(true);
});
