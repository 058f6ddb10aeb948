import { Wallet, isHexString } from 'ethers';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** Options every command shares: where the service and the chain are, and whose key signs. */
export const COMMON_OPTIONS = {
  'service-url': { type: 'string' },
  'rpc-url': { type: 'string' },
  'private-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function serviceUrl(values: { 'service-url'?: string }, io: CliIo): string {
  const raw = values['service-url'] ?? io.env.OPENLEDGER_SERVICE_URL ?? 'http://127.0.0.1:8081';
  const field = values['service-url'] ? '--service-url' : 'OPENLEDGER_SERVICE_URL';
  try {
    const url = new URL(raw);
    if (!['http:', 'https:'].includes(url.protocol)) throw new Error('not http(s)');
  } catch {
    throw new CliError(field, `must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/+$/, '');
}

export function rpcUrl(values: { 'rpc-url'?: string }, io: CliIo): string {
  const raw = values['rpc-url'] ?? io.env.OPENLEDGER_RPC_URL ?? io.env.RPC_URL ?? 'http://127.0.0.1:8545';
  try {
    new URL(raw);
  } catch {
    throw new CliError(values['rpc-url'] ? '--rpc-url' : 'OPENLEDGER_RPC_URL', `must be a URL, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** The signing key: --private-key, else OPENLEDGER_PRIVATE_KEY. */
export function wallet(values: { 'private-key'?: string }, io: CliIo): Wallet {
  const fromFlag = values['private-key'] !== undefined;
  const field = fromFlag ? '--private-key' : 'OPENLEDGER_PRIVATE_KEY';
  const raw = fromFlag ? values['private-key'] : io.env.OPENLEDGER_PRIVATE_KEY;
  if (!raw) throw new CliError('--private-key', 'a signing key is needed (or set OPENLEDGER_PRIVATE_KEY)');
  const key = raw.startsWith('0x') ? raw : `0x${raw}`;
  if (!isHexString(key, 32)) throw new CliError(field, 'must be a 32-byte hex private key');
  return new Wallet(key);
}

export function positiveInteger(value: string | undefined, field: string): bigint {
  if (value === undefined) throw new CliError(field, 'is required');
  if (!/^[0-9]+$/.test(value) || BigInt(value) === 0n) throw new CliError(field, `must be a positive integer, got ${JSON.stringify(value)}`);
  return BigInt(value);
}
