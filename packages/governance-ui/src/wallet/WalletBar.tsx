import { useState } from 'react';
import { useApp } from '../app-context.js';
import { shortAddress } from '../format.js';
import { useWallet } from './wallet-context.js';

/** Connect / account / chain controls shown in the header. */
export function WalletBar() {
  const { config } = useApp();
  const wallet = useWallet();
  const [devIndex, setDevIndex] = useState(0);

  if (wallet.kind !== 'none' && wallet.account) {
    return (
      <div className="wallet-bar">
        <span className="account" data-testid="account">
          {wallet.label}: <code title={wallet.account}>{shortAddress(wallet.account)}</code>
        </span>
        {wallet.wrongChain && (
          <span role="alert" className="warn">
            Wrong network (chain {wallet.chainId}); this app uses {config.chainName} (chain {config.chainId}).{' '}
            <button type="button" onClick={() => void wallet.switchToConfiguredChain()}>
              Switch to {config.chainName}
            </button>
          </span>
        )}
        <button type="button" className="secondary" onClick={wallet.disconnect}>
          Disconnect
        </button>
        {wallet.error && <span role="alert" className="warn">{wallet.error}</span>}
      </div>
    );
  }

  return (
    <div className="wallet-bar">
      {wallet.wallets.map((w) => (
        <button type="button" key={w.info.uuid} onClick={() => void wallet.connectInjected(w)}>
          {w.info.icon && <img src={w.info.icon} alt="" width={18} height={18} />} Connect {w.info.name}
        </button>
      ))}
      {wallet.wallets.length === 0 && (
        <span className="muted" data-testid="no-wallet">
          No browser wallet found. Install one that supports EIP-6963 (e.g. MetaMask, Rabby) to sign; reading works without one.
        </span>
      )}
      {__DEV_WALLET__ && wallet.connectDev && (
        <span className="dev-wallet">
          <label htmlFor="dev-account">Dev account</label>
          <select id="dev-account" value={devIndex} onChange={(e) => setDevIndex(Number(e.target.value))}>
            {[0, 1, 2, 3, 4].map((i) => (
              <option key={i} value={i}>
                anvil #{i}
              </option>
            ))}
          </select>
          <button type="button" data-testid="connect-dev" onClick={() => void wallet.connectDev!(devIndex)}>
            Use dev wallet
          </button>
        </span>
      )}
      {wallet.error && <span role="alert" className="warn">{wallet.error}</span>}
    </div>
  );
}
