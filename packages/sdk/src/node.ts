// @openledger/sdk/node — Node-only helpers (filesystem). Re-exports the main entry.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDeployment, type Deployment } from './deployment.js';
import { DeploymentError } from './errors.js';

export * from './index.js';

/** packages/contracts/deployments, found from this file (src/ or dist/ of packages/sdk). */
export const DEFAULT_DEPLOYMENTS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'contracts', 'deployments');

/**
 * Reads and validates a deployment: a chain id (→ `<deploymentsDir>/<chainId>.json`) or a path to
 * a JSON file. Throws {@link DeploymentError} when it is missing or a field is wrong.
 */
export async function loadDeployment(pathOrChainId: string | number, options: { deploymentsDir?: string } = {}): Promise<Deployment> {
  const dir = options.deploymentsDir ?? DEFAULT_DEPLOYMENTS_DIR;
  const byChainId = typeof pathOrChainId === 'number' || /^\d+$/.test(pathOrChainId);
  const path = byChainId ? join(dir, `${pathOrChainId}.json`) : isAbsolute(pathOrChainId) ? pathOrChainId : resolve(pathOrChainId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const what = byChainId ? `no deployment for chain ${pathOrChainId} (${path})` : `cannot read deployment ${path}`;
    throw new DeploymentError(`${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, undefined, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DeploymentError(`deployment ${path} is not valid JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
  const deployment = parseDeployment(json, path);
  if (byChainId && deployment.chainId !== Number(pathOrChainId)) {
    throw new DeploymentError(`deployment ${path}: field "chainId" is ${deployment.chainId}, expected ${pathOrChainId}`, 'chainId');
  }
  return deployment;
}
