import { getAddress, isAddress, verifyMessage } from 'ethers';
import { SdkError } from '../errors.js';

/**
 * EIP-4361 Sign-In with Ethereum: build the message a wallet signs (EIP-191 personal_sign),
 * parse it back, and verify it against what the server expects (domain, nonce, chain id, time).
 * Only externally owned accounts are verified (no EIP-1271 contract wallets).
 */
export interface SiweMessage {
  /** RFC 3986 authority of the site asking, e.g. `app.openledger.local:5173`. */
  domain: string;
  /** Optional URI scheme the domain is served with (`https`). */
  scheme?: string;
  /** EIP-55 checksummed address. */
  address: string;
  /** Human-readable assertion, no newlines. */
  statement?: string;
  uri: string;
  version: '1';
  chainId: number;
  /** At least 8 alphanumeric characters, issued by the server and single-use. */
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

export type SiweErrorReason =
  | 'malformed'
  | 'domain-mismatch'
  | 'nonce-mismatch'
  | 'chain-mismatch'
  | 'uri-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'invalid-signature';

/** Why a sign-in message was refused; `reason` is stable for mapping to HTTP 400/401. */
export class SiweError extends SdkError {
  readonly reason: SiweErrorReason;
  constructor(reason: SiweErrorReason, message: string) {
    super(`SIWE_${reason.toUpperCase().replace(/-/g, '_')}`, message);
    this.reason = reason;
  }
}

const NONCE_RE = /^[a-zA-Z0-9]{8,}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEADER_SUFFIX = ' wants you to sign in with your Ethereum account:';

/** A random 22-character alphanumeric nonce (~131 bits) from the platform CSPRNG. */
export function generateSiweNonce(length = 22): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let nonce = '';
  for (const byte of bytes) nonce += ALNUM[byte % 62];
  return nonce;
}

function isRfc3339(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value));
}

function validate(message: SiweMessage): void {
  const bad = (what: string): never => {
    throw new SiweError('malformed', `SIWE message: ${what}`);
  };
  if (!message.domain || /[\s/]/.test(message.domain)) bad('domain must be a host[:port] authority');
  if (message.scheme !== undefined && !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(message.scheme)) bad('scheme is invalid');
  if (!isAddress(message.address) || getAddress(message.address) !== message.address) bad('address must be EIP-55 checksummed');
  if (message.statement !== undefined && /\n/.test(message.statement)) bad('statement must not contain a newline');
  try {
    new URL(message.uri);
  } catch {
    bad('uri must be an absolute URI');
  }
  if (message.version !== '1') bad('version must be "1"');
  if (!Number.isSafeInteger(message.chainId) || message.chainId <= 0) bad('chainId must be a positive integer');
  if (!NONCE_RE.test(message.nonce)) bad('nonce must be at least 8 alphanumeric characters');
  if (!isRfc3339(message.issuedAt)) bad('issuedAt must be an RFC 3339 date-time');
  if (message.expirationTime !== undefined && !isRfc3339(message.expirationTime)) bad('expirationTime must be an RFC 3339 date-time');
  if (message.notBefore !== undefined && !isRfc3339(message.notBefore)) bad('notBefore must be an RFC 3339 date-time');
  if (message.requestId !== undefined && /\n/.test(message.requestId)) bad('requestId must not contain a newline');
  for (const resource of message.resources ?? []) {
    try {
      new URL(resource);
    } catch {
      bad(`resource ${JSON.stringify(resource)} must be an absolute URI`);
    }
  }
}

/** The exact text (EIP-4361 ABNF) the wallet signs. */
export function buildSiweMessage(message: SiweMessage): string {
  validate(message);
  const origin = message.scheme ? `${message.scheme}://${message.domain}` : message.domain;
  const lines = [`${origin}${HEADER_SUFFIX}`, message.address, ''];
  if (message.statement !== undefined) lines.push(message.statement);
  lines.push('');
  lines.push(`URI: ${message.uri}`, `Version: ${message.version}`, `Chain ID: ${message.chainId}`, `Nonce: ${message.nonce}`);
  lines.push(`Issued At: ${message.issuedAt}`);
  if (message.expirationTime) lines.push(`Expiration Time: ${message.expirationTime}`);
  if (message.notBefore) lines.push(`Not Before: ${message.notBefore}`);
  if (message.requestId !== undefined) lines.push(`Request ID: ${message.requestId}`);
  if (message.resources?.length) {
    lines.push('Resources:');
    for (const resource of message.resources) lines.push(`- ${resource}`);
  }
  return lines.join('\n');
}

/** Parses a message built by {@link buildSiweMessage} (or any EIP-4361 wallet); throws `SiweError('malformed')`. */
export function parseSiweMessage(text: string): SiweMessage {
  if (text.length > 16_384) throw new SiweError('malformed', 'SIWE message is longer than 16 KiB');
  const lines = text.split('\n');
  let i = 0;
  const next = (): string => {
    const line = lines[i++];
    if (line === undefined) throw new SiweError('malformed', 'SIWE message ends early');
    return line;
  };
  const header = next();
  if (!header.endsWith(HEADER_SUFFIX)) throw new SiweError('malformed', 'SIWE message: first line is not an EIP-4361 header');
  let origin = header.slice(0, -HEADER_SUFFIX.length);
  let scheme: string | undefined;
  const schemeAt = origin.indexOf('://');
  if (schemeAt >= 0) {
    scheme = origin.slice(0, schemeAt);
    origin = origin.slice(schemeAt + 3);
  }
  const address = next();
  if (next() !== '') throw new SiweError('malformed', 'SIWE message: expected an empty line after the address');
  let statement: string | undefined;
  const afterAddress = next();
  if (afterAddress !== '') {
    statement = afterAddress;
    if (next() !== '') throw new SiweError('malformed', 'SIWE message: expected an empty line after the statement');
  }
  const field = (label: string, optional = false): string | undefined => {
    const line = lines[i];
    if (line !== undefined && line.startsWith(`${label}: `)) {
      i++;
      return line.slice(label.length + 2);
    }
    if (!optional) throw new SiweError('malformed', `SIWE message: missing "${label}"`);
    return undefined;
  };
  const uri = field('URI')!;
  const version = field('Version')!;
  const chainIdText = field('Chain ID')!;
  const nonce = field('Nonce')!;
  const issuedAt = field('Issued At')!;
  const expirationTime = field('Expiration Time', true);
  const notBefore = field('Not Before', true);
  const requestId = field('Request ID', true);
  let resources: string[] | undefined;
  if (lines[i] === 'Resources:') {
    i++;
    resources = [];
    while (i < lines.length && lines[i]!.startsWith('- ')) resources.push(lines[i++]!.slice(2));
  }
  if (i !== lines.length) throw new SiweError('malformed', `SIWE message: unexpected line ${JSON.stringify(lines[i])}`);
  if (!/^\d+$/.test(chainIdText)) throw new SiweError('malformed', 'SIWE message: Chain ID must be a number');
  if (version !== '1') throw new SiweError('malformed', 'SIWE message: Version must be 1');
  const message: SiweMessage = {
    domain: origin,
    address,
    uri,
    version: '1',
    chainId: Number(chainIdText),
    nonce,
    issuedAt,
  };
  if (scheme !== undefined) message.scheme = scheme;
  if (statement !== undefined) message.statement = statement;
  if (expirationTime !== undefined) message.expirationTime = expirationTime;
  if (notBefore !== undefined) message.notBefore = notBefore;
  if (requestId !== undefined) message.requestId = requestId;
  if (resources !== undefined) message.resources = resources;
  validate(message);
  return message;
}

export interface VerifySiweParameters {
  /** The raw message text the wallet signed. */
  message: string;
  signature: string;
  /** The server's own domain: the message must name it. */
  domain: string;
  /** The nonce the server issued for this sign-in (the caller must also make it single-use). */
  nonce: string;
  /** Accepted chain id. */
  chainId: number;
  /** When given, the message URI must equal it. */
  uri?: string;
  /** Clock for expiry checks (defaults to now). */
  now?: Date;
  /** Longest accepted lifetime when the message has no expiry: issuedAt + maxAgeMs (default 10 minutes). */
  maxAgeMs?: number;
}

/** Checks every field and the signature; returns the parsed message, or throws {@link SiweError}. */
export function verifySiweMessage(parameters: VerifySiweParameters): SiweMessage {
  const message = parseSiweMessage(parameters.message);
  const now = (parameters.now ?? new Date()).getTime();
  if (message.domain !== parameters.domain) {
    throw new SiweError('domain-mismatch', `SIWE message is for domain ${message.domain}, expected ${parameters.domain}`);
  }
  if (message.nonce !== parameters.nonce) throw new SiweError('nonce-mismatch', 'SIWE nonce does not match the one issued');
  if (message.chainId !== parameters.chainId) {
    throw new SiweError('chain-mismatch', `SIWE message is for chain ${message.chainId}, expected ${parameters.chainId}`);
  }
  if (parameters.uri !== undefined && message.uri !== parameters.uri) {
    throw new SiweError('uri-mismatch', `SIWE message URI ${message.uri} does not match ${parameters.uri}`);
  }
  const expiresAt = message.expirationTime
    ? Date.parse(message.expirationTime)
    : Date.parse(message.issuedAt) + (parameters.maxAgeMs ?? 10 * 60_000);
  if (now >= expiresAt) throw new SiweError('expired', 'SIWE message has expired');
  if (message.notBefore && now < Date.parse(message.notBefore)) throw new SiweError('not-yet-valid', 'SIWE message is not valid yet');
  if (Date.parse(message.issuedAt) > now + 5 * 60_000) throw new SiweError('not-yet-valid', 'SIWE message is issued in the future');
  let recovered: string;
  try {
    recovered = verifyMessage(parameters.message, parameters.signature);
  } catch (error) {
    throw new SiweError('invalid-signature', `SIWE signature is malformed: ${(error as Error).message}`);
  }
  if (recovered !== message.address) throw new SiweError('invalid-signature', 'SIWE signature was not made by the message address');
  return message;
}
