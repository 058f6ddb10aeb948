import { parseDeployment } from '@openledger/sdk';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProvider } from '../src/app-context.js';
import type { AppConfig } from '../src/config.js';
import type { Eip1193Provider } from '../src/wallet/eip6963.js';
import { WalletBar } from '../src/wallet/WalletBar.js';
import { WalletProvider } from '../src/wallet/wallet-context.js';

const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const config: AppConfig = {
  chainId: 31337,
  chainName: 'Anvil',
  rpcUrl: 'http://127.0.0.1:1',
  deployment: parseDeployment({
    chainId: 31337,
    startBlock: 1,
    contracts: Object.fromEntries(['OpenToken', 'GOpenToken', 'OpenTimelock', 'OpenGovernor', 'TokenVesting', 'DatanetRegistry', 'ModelRegistry', 'FeeEscrow', 'AttributionSettlement'].map((n, i) => [n, addr(i + 1)])),
  }),
};
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

/** An injected EIP-1193 wallet as a browser extension exposes it: records requests, knows one chain at a time. */
function injectedWallet(initialChain: number, knownChains: number[]) {
  const calls: { method: string; params?: unknown }[] = [];
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  let chain = initialChain;
  const provider: Eip1193Provider = {
    async request({ method, params }) {
      calls.push({ method, params });
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return [ACCOUNT];
        case 'eth_chainId':
          return `0x${chain.toString(16)}`;
        case 'wallet_switchEthereumChain': {
          const wanted = Number((params as { chainId: string }[])[0]!.chainId);
          if (!knownChains.includes(wanted)) throw Object.assign(new Error('Unrecognized chain'), { code: 4902 });
          chain = wanted;
          listeners.get('chainChanged')?.forEach((l) => l(`0x${wanted.toString(16)}`));
          return null;
        }
        case 'wallet_addEthereumChain':
          knownChains.push(Number((params as { chainId: string }[])[0]!.chainId));
          return null;
        default:
          throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 });
      }
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    removeListener(event, listener) {
      listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
    },
  };
  return { provider, calls };
}

function announce(provider: Eip1193Provider, name: string) {
  const detail = { info: { uuid: `uuid-${name}`, name, icon: '', rdns: `test.${name}` }, provider };
  const send = () => window.dispatchEvent(Object.assign(new Event('eip6963:announceProvider'), { detail }));
  window.addEventListener('eip6963:requestProvider', send);
  send();
  return () => window.removeEventListener('eip6963:requestProvider', send);
}

function renderBar() {
  return render(
    <AppProvider config={config}>
      <WalletProvider>
        <WalletBar />
      </WalletProvider>
    </AppProvider>,
  );
}

describe('WalletBar', () => {
  it('says so when no EIP-6963 wallet is present, and offers the dev wallet in dev builds', () => {
    renderBar();
    expect(screen.getByTestId('no-wallet').textContent).toMatch(/No browser wallet found/);
    expect(screen.getByRole('button', { name: 'Use dev wallet' })).toBeTruthy();
  });

  it('connects an announced wallet, flags the wrong chain and switches, adding the chain when unknown', async () => {
    const wallet = injectedWallet(1, [1]);
    const stop = announce(wallet.provider, 'TestWallet');
    renderBar();
    const connect = await screen.findByRole('button', { name: /Connect TestWallet/ });
    await act(async () => fireEvent.click(connect));
    await screen.findByTestId('account');
    expect(screen.getByRole('alert').textContent).toMatch(/Wrong network \(chain 1\); this app uses Anvil \(chain 31337\)/);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Switch to Anvil' })));
    expect(wallet.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['wallet_switchEthereumChain', 'wallet_addEthereumChain']));
    // after adding, the wallet switches on the next request
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Switch to Anvil' })));
    await waitFor(() => expect(screen.queryByText(/Wrong network/)).toBeNull());
    expect(screen.getByTestId('account').textContent).toContain('0x7099');
    stop();
  });

  it('shows a wallet rejection as a clear message', async () => {
    const rejecting: Eip1193Provider = {
      async request() {
        throw Object.assign(new Error('User rejected'), { code: 4001 });
      },
    };
    const stop = announce(rejecting, 'Rejecter');
    renderBar();
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: /Connect Rejecter/ })));
    expect((await screen.findByRole('alert')).textContent).toBe('You rejected the request in your wallet.');
    stop();
  });
});
