import { chainConfig, connectDeployment, type DeployedContracts } from '@openledger/sdk';
import { JsonRpcProvider, Network } from 'ethers';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppConfig } from './config.js';

export interface AppState {
  config: AppConfig;
  /** Read-only provider on the configured RPC (reads never depend on the wallet). */
  provider: JsonRpcProvider;
  /** Read-only typed clients of every deployed contract. */
  contracts: DeployedContracts;
  /** Bumped after every mined transaction so views reload. */
  refreshKey: number;
  refresh(): void;
}

/**
 * The sdk's chain settings, with ethers' 250 ms request cache off: right after a transaction is
 * mined the views re-run the same calls (eth_getLogs, balanceOf) and must not get the old answers.
 */
function createReadProvider(config: AppConfig): JsonRpcProvider {
  const chain = chainConfig({ rpcUrl: config.rpcUrl, chainId: config.chainId });
  const network = Network.from({ chainId: chain.chainId, name: chain.name });
  return new JsonRpcProvider(chain.rpcUrl, network, { staticNetwork: network, pollingInterval: chain.pollingIntervalMs, cacheTimeout: -1 });
}

const AUTO_REFRESH_MS = 12_000;

const AppContext = createContext<AppState | null>(null);

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const provider = useMemo(() => createReadProvider(config), [config]);
  const contracts = useMemo(() => connectDeployment(config.deployment, provider), [config, provider]);
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);
  // Follow the chain: reload the views when new blocks arrive (proposal states move with time and
  // other people's transactions), at most once every AUTO_REFRESH_MS.
  const lastRefresh = useRef(0);
  useEffect(() => {
    const onBlock = () => {
      if (Date.now() - lastRefresh.current < AUTO_REFRESH_MS) return;
      lastRefresh.current = Date.now();
      refresh();
    };
    void provider.on('block', onBlock);
    return () => void provider.off('block', onBlock);
  }, [provider, refresh]);
  const value = useMemo(() => ({ config, provider, contracts, refreshKey, refresh }), [config, provider, contracts, refreshKey, refresh]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <AppProvider>');
  return state;
}

const ZERO = '0x0000000000000000000000000000000000000000';
/** True when the deployment lists a real address for `name`. */
export function isDeployed(config: AppConfig, name: keyof AppConfig['deployment']['contracts']): boolean {
  const address = config.deployment.contracts[name];
  return typeof address === 'string' && address !== ZERO;
}
