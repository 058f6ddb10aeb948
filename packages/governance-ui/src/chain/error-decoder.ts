import { abis } from '@openledger/sdk';
import { AbiCoder, ErrorFragment, Interface, decodeBytes32String, isHexString, type Result } from 'ethers';

/** One error fragment per selector, gathered from every contract ABI the sdk generates. */
function buildErrorInterface(): Interface {
  const seen = new Map<string, ErrorFragment>();
  for (const abi of Object.values(abis) as readonly (readonly { type: string }[])[]) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const fragment = ErrorFragment.from(item);
      if (!seen.has(fragment.selector)) seen.set(fragment.selector, fragment);
    }
  }
  return new Interface([...seen.values()]);
}

let errorInterface: Interface | undefined;
export function contractErrors(): Interface {
  return (errorInterface ??= buildErrorInterface());
}

const PANIC_CODES: Record<string, string> = {
  '1': 'assertion failed',
  '17': 'arithmetic overflow or underflow',
  '18': 'division by zero',
  '33': 'invalid enum value',
  '50': 'array index out of bounds',
  '65': 'out of memory',
};

function formatArg(value: unknown, type: string): string {
  if (type === 'bytes32' && typeof value === 'string') {
    try {
      const text = decodeBytes32String(value);
      if (/^[\x20-\x7e]+$/.test(text)) return JSON.stringify(text);
    } catch {
      // not a short string: show the hex
    }
  }
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

/** Decodes revert data (`0x` + selector + args) into `ErrorName(arg, …)`; undefined when unknown. */
export function decodeRevertData(data: string): string | undefined {
  if (!isHexString(data) || data.length < 10) return undefined;
  const selector = data.slice(0, 10).toLowerCase();
  const coder = AbiCoder.defaultAbiCoder();
  if (selector === '0x08c379a0') return `Error: ${coder.decode(['string'], '0x' + data.slice(10))[0] as string}`;
  if (selector === '0x4e487b71') {
    const code = (coder.decode(['uint256'], '0x' + data.slice(10))[0] as bigint).toString();
    return `Panic: ${PANIC_CODES[code] ?? `code ${code}`}`;
  }
  try {
    const parsed = contractErrors().parseError(data);
    if (!parsed) return undefined;
    const args = parsed.fragment.inputs.map((input, i) => `${input.name ? `${input.name}: ` : ''}${formatArg((parsed.args as Result)[i], input.type)}`);
    return `${parsed.name}(${args.join(', ')})`;
  } catch {
    return undefined;
  }
}

/** Finds revert data anywhere in an ethers / EIP-1193 error object (they nest it differently). */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.data === 'string' && isHexString(e.data) && e.data.length >= 10) return e.data;
  if (typeof e.data === 'object' && e.data !== null) {
    const inner = findRevertData(e.data, depth + 1);
    if (inner) return inner;
  }
  for (const key of ['error', 'info', 'cause', 'payload', 'originalError']) {
    const inner = findRevertData(e[key], depth + 1);
    if (inner) return inner;
  }
  // JSON-RPC servers sometimes only put it in the message body
  if (typeof e.body === 'string') {
    try {
      return findRevertData(JSON.parse(e.body), depth + 1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A one-line human message for a failed call or transaction. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; shortMessage?: string; message?: string; reason?: string };
  if (e.code === 'ACTION_REJECTED' || e.code === 4001) return 'You rejected the request in your wallet.';
  const data = findRevertData(error);
  if (data) {
    const decoded = decodeRevertData(data);
    return decoded ? `Reverted: ${decoded}` : `Reverted with unknown error data ${data.slice(0, 10)}…`;
  }
  if (typeof e.reason === 'string' && e.reason) return `Reverted: ${e.reason}`;
  if (e.code === 'CALL_EXCEPTION') return 'Reverted without a reason.';
  if (e.code === 'INSUFFICIENT_FUNDS') return 'Not enough ETH to pay for gas.';
  if (e.code === 'NETWORK_ERROR' || e.code === 'SERVER_ERROR') return 'Cannot reach the chain RPC endpoint.';
  return e.shortMessage ?? e.message ?? String(error);
}
