import type { ReactNode } from 'react';
import { useWallet } from '../wallet/wallet-context.js';

/** Renders children only when a wallet is connected on the right chain; otherwise says why. */
export function RequireWallet({ children, action }: { children: ReactNode; action: string }) {
  const wallet = useWallet();
  if (wallet.ready) return <>{children}</>;
  return <p className="muted">{wallet.wrongChain ? `Switch your wallet to the right network to ${action}.` : `Connect a wallet to ${action}.`}</p>;
}
