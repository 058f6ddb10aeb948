import { connectDeployment, type DeployedContracts } from '@openledger/sdk';
import { BrowserProvider, type Signer } from 'ethers';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useApp } from '../app-context.js';
import { describeError } from '../chain/error-decoder.js';
import { discoverWallets, switchChain, type AnnouncedWallet, type Eip1193Provider } from './eip6963.js';

export interface WalletState {
  /** Wallets announced through EIP-6963. */
  wallets: AnnouncedWallet[];
  kind: 'none' | 'injected' | 'dev';
  label?: string;
  account?: string;
  chainId?: number;
  /** Connected and on the configured chain. */
  ready: boolean;
  wrongChain: boolean;
  signer?: Signer;
  /** Typed clients bound to the signer (only when ready). */
  write?: DeployedContracts;
  error?: string;
  connectInjected(wallet: AnnouncedWallet): Promise<void>;
  /** Dev builds only: an anvil account by index. */
  connectDev?(index: number): Promise<void>;
  switchToConfiguredChain(): Promise<void>;
  disconnect(): void;
}

const WalletContext = createContext<WalletState | null>(null);

/** The last wallet the user connected, so a reload reconnects without a new prompt. */
const REMEMBER_KEY = 'openledger.wallet';
type Remembered = { kind: 'dev'; index: number } | { kind: 'injected'; rdns: string };
function remember(value: Remembered | undefined): void {
  try {
    if (value) localStorage.setItem(REMEMBER_KEY, JSON.stringify(value));
    else localStorage.removeItem(REMEMBER_KEY);
  } catch {
    // storage disabled: no auto-reconnect
  }
}
function remembered(): Remembered | undefined {
  try {
    return JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

interface Connection {
  kind: 'injected' | 'dev';
  label: string;
  account: string;
  chainId: number;
  signer: Signer;
  eip1193?: Eip1193Provider;
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const { config } = useApp();
  const [wallets, setWallets] = useState<AnnouncedWallet[]>([]);
  const [connection, setConnection] = useState<Connection | undefined>();
  const [error, setError] = useState<string | undefined>();
  const injectedRef = useRef<AnnouncedWallet | undefined>(undefined);

  useEffect(() => discoverWallets(setWallets), []);

  const attachInjected = useCallback(async (wallet: AnnouncedWallet, request: boolean) => {
    const method = request ? 'eth_requestAccounts' : 'eth_accounts';
    const accounts = (await wallet.provider.request({ method })) as string[];
    if (!accounts.length) {
      setConnection(undefined);
      return;
    }
    const chainId = Number(await wallet.provider.request({ method: 'eth_chainId' }));
    const browser = new BrowserProvider(wallet.provider, 'any');
    const signer = await browser.getSigner(accounts[0]);
    setConnection({ kind: 'injected', label: wallet.info.name, account: signer.address, chainId, signer, eip1193: wallet.provider });
  }, []);

  const connectInjected = useCallback(
    async (wallet: AnnouncedWallet) => {
      setError(undefined);
      try {
        injectedRef.current = wallet;
        await attachInjected(wallet, true);
        remember({ kind: 'injected', rdns: wallet.info.rdns });
      } catch (e) {
        setError(describeError(e));
      }
    },
    [attachInjected],
  );

  // Follow the injected wallet's account and chain changes.
  useEffect(() => {
    const wallet = injectedRef.current;
    if (connection?.kind !== 'injected' || !wallet?.provider.on) return;
    const onChange = () => void attachInjected(wallet, false).catch((e) => setError(describeError(e)));
    wallet.provider.on('accountsChanged', onChange);
    wallet.provider.on('chainChanged', onChange);
    return () => {
      wallet.provider.removeListener?.('accountsChanged', onChange);
      wallet.provider.removeListener?.('chainChanged', onChange);
    };
  }, [connection?.kind, attachInjected]);

  const connectDev = useMemo(() => {
    if (!__DEV_WALLET__) return undefined;
    return async (index: number) => {
      setError(undefined);
      const { createDevSigner } = await import('./dev-wallet.js');
      const signer = createDevSigner(index, config);
      setConnection({ kind: 'dev', label: `Dev account ${index}`, account: signer.address, chainId: config.chainId, signer });
      remember({ kind: 'dev', index });
    };
  }, [config]);

  // Reconnect the remembered wallet after a reload (no prompt: eth_accounts, not eth_requestAccounts).
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current) return;
    const last = remembered();
    if (!last) return;
    if (last.kind === 'dev') {
      restored.current = true;
      if (connectDev) void connectDev(last.index);
      return;
    }
    const wallet = wallets.find((w) => w.info.rdns === last.rdns);
    if (!wallet) return;
    restored.current = true;
    injectedRef.current = wallet;
    void attachInjected(wallet, false).catch(() => undefined);
  }, [wallets, connectDev, attachInjected]);

  const switchToConfiguredChain = useCallback(async () => {
    if (!connection?.eip1193) return;
    setError(undefined);
    try {
      await switchChain(connection.eip1193, config);
    } catch (e) {
      setError(`Could not switch to ${config.chainName}: ${describeError(e)}`);
    }
  }, [connection, config]);

  const disconnect = useCallback(() => {
    injectedRef.current = undefined;
    remember(undefined);
    setConnection(undefined);
  }, []);

  const wrongChain = connection !== undefined && connection.chainId !== config.chainId;
  const ready = connection !== undefined && !wrongChain;
  const write = useMemo(() => (ready ? connectDeployment(config.deployment, connection!.signer) : undefined), [ready, connection, config.deployment]);

  const value: WalletState = {
    wallets,
    kind: connection?.kind ?? 'none',
    label: connection?.label,
    account: connection?.account,
    chainId: connection?.chainId,
    ready,
    wrongChain,
    signer: connection?.signer,
    write,
    error,
    connectInjected,
    connectDev,
    switchToConfiguredChain,
    disconnect,
  };
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletState {
  const state = useContext(WalletContext);
  if (!state) throw new Error('useWallet outside <WalletProvider>');
  return state;
}
