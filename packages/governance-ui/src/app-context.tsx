import { chainConfig, connectDeployment, createProvider, type DeployedContracts } from '@openledger/sdk-browser';
import type { JsonRpcProvider } from 'ethers';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
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

const AppContext = createContext<AppState | null>(null);

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const provider = useMemo(() => createProvider(chainConfig({ rpcUrl: config.rpcUrl, chainId: config.chainId })), [config]);
  const contracts = useMemo(() => connectDeployment(config.deployment, provider), [config, provider]);
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);
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
