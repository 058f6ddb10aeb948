import { parseDeployment, type Deployment } from '@openledger/sdk';

/** Runtime configuration, read once from `config.json` next to `index.html`. */
export interface AppConfig {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  deployment: Deployment;
  /** Base URL of the attribution worker (proof API `GET /v1/rewards/:account`); optional. */
  attributionUrl?: string;
  /** Base URL of the datanet service REST API; optional enhancement. */
  datanetServiceUrl?: string;
  /** Base URL of the inference gateway REST API; optional enhancement. */
  gatewayUrl?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config.json: field "${field}" ${message}`);
    this.name = 'ConfigError';
  }
}

function optionalUrl(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(field, 'must be a URL string');
  try {
    new URL(value);
  } catch {
    throw new ConfigError(field, `is not a URL: ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

/** Validates a parsed config object; `deployment` is the inline deployment or the fetched one. */
export function parseConfig(raw: unknown, deployment: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('(root)', 'must be an object');
  const r = raw as Record<string, unknown>;
  const chainId = r.chainId;
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0) throw new ConfigError('chainId', 'must be a positive integer');
  const rpcUrl = optionalUrl(r, 'rpcUrl');
  if (!rpcUrl) throw new ConfigError('rpcUrl', 'is missing');
  const parsed = parseDeployment(deployment, 'deployment');
  if (parsed.chainId !== chainId) throw new ConfigError('chainId', `is ${chainId} but the deployment is for chain ${parsed.chainId}`);
  return {
    chainId,
    chainName: typeof r.chainName === 'string' && r.chainName ? r.chainName : `chain ${chainId}`,
    rpcUrl,
    deployment: parsed,
    attributionUrl: optionalUrl(r, 'attributionUrl'),
    datanetServiceUrl: optionalUrl(r, 'datanetServiceUrl'),
    gatewayUrl: optionalUrl(r, 'gatewayUrl'),
  };
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

/** Loads `config.json` (and the deployment it points to) relative to the app's base URL. */
export async function loadConfig(base: string = import.meta.env.BASE_URL): Promise<AppConfig> {
  const configUrl = new URL(`${base}config.json`, window.location.href).href;
  const raw = (await fetchJson(configUrl)) as Record<string, unknown>;
  let deployment = raw.deployment;
  if (deployment === undefined) {
    if (typeof raw.deploymentUrl !== 'string') throw new ConfigError('deploymentUrl', 'is missing (or give "deployment" inline)');
    deployment = await fetchJson(new URL(raw.deploymentUrl, configUrl).href);
  }
  return parseConfig(raw, deployment);
}
