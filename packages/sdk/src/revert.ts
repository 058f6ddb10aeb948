import { Interface, isHexString, type ErrorFragment, type InterfaceAbi } from 'ethers';
import { abis } from './generated/abis.js';

/** A revert decoded against the custom errors of every generated ABI. */
export interface DecodedRevert {
  /** Error name, e.g. `DatanetInsufficientStake`. */
  name: string;
  /** Full signature, e.g. `DatanetInsufficientStake(uint256,address,uint256,uint256)`. */
  signature: string;
  /** Named arguments (uint → bigint). */
  args: Record<string, unknown>;
  /** 4-byte selector. */
  selector: string;
}

let errorsBySelector: Map<string, { iface: Interface; fragment: ErrorFragment }> | undefined;

function errorIndex(): Map<string, { iface: Interface; fragment: ErrorFragment }> {
  if (errorsBySelector) return errorsBySelector;
  errorsBySelector = new Map();
  // Error(string) and Panic(uint256) come from ethers' own decoder below.
  for (const abi of Object.values(abis)) {
    const iface = Interface.from(abi as unknown as InterfaceAbi);
    iface.forEachError((fragment) => {
      if (!errorsBySelector!.has(fragment.selector)) errorsBySelector!.set(fragment.selector, { iface, fragment });
    });
  }
  return errorsBySelector;
}

/** Finds revert data in what ethers throws (`error.data`, `error.info.error.data`, nested causes). */
export function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (!value || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.data === 'string' && isHexString(record.data) && record.data.length >= 10) return record.data;
    for (const key of ['data', 'error', 'info', 'cause', 'revert']) {
      const found = visit(record[key]);
      if (found) return found;
    }
    return undefined;
  };
  return typeof error === 'string' ? (isHexString(error) ? error : undefined) : visit(error);
}

/**
 * Decodes a custom error (`DatanetInsufficientStake(...)`), `Error(string)` or `Panic(uint256)` from
 * revert data or from an ethers error; undefined when nothing matches.
 */
export function decodeRevert(errorOrData: unknown): DecodedRevert | undefined {
  const data = revertData(errorOrData);
  if (!data || data.length < 10) return undefined;
  const selector = data.slice(0, 10).toLowerCase();
  const match = errorIndex().get(selector);
  const iface = match?.iface ?? new Interface(['error Error(string message)', 'error Panic(uint256 code)']);
  const fragment = match?.fragment ?? iface.getError(selector);
  if (!fragment) return undefined;
  try {
    const values = iface.decodeErrorResult(fragment, data);
    const args: Record<string, unknown> = {};
    const builtinName = fragment.name === 'Error' ? 'message' : fragment.name === 'Panic' ? 'code' : String(0);
    fragment.inputs.forEach((input, i) => {
      args[input.name || (match ? String(i) : builtinName)] = values[i];
    });
    return { name: fragment.name, signature: fragment.format('sighash'), args, selector };
  } catch {
    return undefined;
  }
}
