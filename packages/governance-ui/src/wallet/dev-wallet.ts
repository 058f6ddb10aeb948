// Development wallet: anvil's public test keys signing through the app's JSON-RPC provider.
// Imported only behind `__DEV_WALLET__` (true on the dev server only), so a production build contains neither this module
// nor the keys (checked by scripts/check-bundle.ts).
import { JsonRpcProvider, Network, Wallet } from 'ethers';

/** anvil's default mnemonic accounts 0-4 ("test test … junk"); public keys, never for real funds. */
const ANVIL_DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
] as const;

export const DEV_ACCOUNT_COUNT = ANVIL_DEV_KEYS.length;

export function devAccountAddress(index: number): string {
  return new Wallet(ANVIL_DEV_KEYS[index]!).address;
}

/**
 * A signer on its own provider with request caching off: ethers caches identical calls for 250 ms,
 * which would hand two quick transactions the same `pending` nonce.
 */
export function createDevSigner(index: number, chain: { rpcUrl: string; chainId: number }): Wallet {
  const key = ANVIL_DEV_KEYS[index];
  if (!key) throw new RangeError(`dev account ${index} does not exist (0-${ANVIL_DEV_KEYS.length - 1})`);
  const network = Network.from(chain.chainId);
  const provider = new JsonRpcProvider(chain.rpcUrl, network, { staticNetwork: network, cacheTimeout: -1, pollingInterval: 250 });
  return new Wallet(key, provider);
}
