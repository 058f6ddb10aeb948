/** EIP-1193 provider as injected by browser wallets. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

/** EIP-6963 provider info + provider. */
export interface AnnouncedWallet {
  info: { uuid: string; name: string; icon: string; rdns: string };
  provider: Eip1193Provider;
}

interface AnnounceEvent extends Event {
  detail: AnnouncedWallet;
}

/**
 * Listens for `eip6963:announceProvider` and asks every wallet to announce itself. Calls `onChange`
 * with the list (deduplicated by uuid) each time one arrives; returns the unsubscribe function.
 */
export function discoverWallets(onChange: (wallets: AnnouncedWallet[]) => void, target: Window = window): () => void {
  const byUuid = new Map<string, AnnouncedWallet>();
  const onAnnounce = (event: Event) => {
    const detail = (event as AnnounceEvent).detail;
    if (!detail?.info?.uuid || typeof detail.provider?.request !== 'function') return;
    byUuid.set(detail.info.uuid, { info: detail.info, provider: detail.provider });
    onChange([...byUuid.values()]);
  };
  target.addEventListener('eip6963:announceProvider', onAnnounce);
  target.dispatchEvent(new Event('eip6963:requestProvider'));
  return () => target.removeEventListener('eip6963:announceProvider', onAnnounce);
}

/** Error code a wallet returns from `wallet_switchEthereumChain` when it does not know the chain. */
export const UNRECOGNIZED_CHAIN = 4902;

/** Asks the wallet to switch to `chainId`, adding the chain first when the wallet does not know it. */
export async function switchChain(provider: Eip1193Provider, chain: { chainId: number; chainName: string; rpcUrl: string }): Promise<void> {
  const hexId = `0x${chain.chainId.toString(16)}`;
  try {
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: hexId }] });
  } catch (error) {
    const code = (error as { code?: number; data?: { originalError?: { code?: number } } }).code;
    const nested = (error as { data?: { originalError?: { code?: number } } }).data?.originalError?.code;
    if (code !== UNRECOGNIZED_CHAIN && nested !== UNRECOGNIZED_CHAIN) throw error;
    await provider.request({
      method: 'wallet_addEthereumChain',
      params: [{ chainId: hexId, chainName: chain.chainName, rpcUrls: [chain.rpcUrl], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 } }],
    });
  }
}
