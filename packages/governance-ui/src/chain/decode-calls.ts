import { contractAbis, type ContractName, type Deployment } from '@openledger/sdk';
import { Interface, formatEther, type InterfaceAbi, type ParamType } from 'ethers';

export interface DecodedCall {
  target: string;
  /** Contract name from the deployment, or undefined for an unknown address. */
  contract?: string;
  value: bigint;
  /** `setChallengeWindow(uint64 window)` or undefined when the selector is unknown. */
  signature?: string;
  args: { name: string; type: string; value: string }[];
  calldata: string;
}

const interfaces = new Map<ContractName, Interface>();
function interfaceOf(name: ContractName): Interface {
  let iface = interfaces.get(name);
  if (!iface) interfaces.set(name, (iface = new Interface(contractAbis[name] as unknown as InterfaceAbi)));
  return iface;
}

function show(value: unknown, type: ParamType): string {
  if (type.baseType === 'tuple' && Array.isArray(value)) {
    return `{ ${type.components!.map((c, i) => `${c.name}: ${show(value[i], c)}`).join(', ')} }`;
  }
  if (type.baseType === 'array' && Array.isArray(value)) return `[${value.map((v) => show(v, type.arrayChildren!)).join(', ')}]`;
  return typeof value === 'bigint' ? value.toString() : String(value);
}

/** Decodes one proposal action against the ABI of the deployed contract at `target`. */
export function decodeCall(deployment: Deployment, target: string, value: bigint, calldata: string): DecodedCall {
  const entry = Object.entries(deployment.contracts).find(([, address]) => address.toLowerCase() === target.toLowerCase());
  const contract = entry?.[0];
  const base: DecodedCall = { target, contract, value, signature: undefined, args: [], calldata };
  if (calldata === '0x' || calldata.length < 10) return { ...base, signature: value > 0n ? `transfer ${formatEther(value)} ETH` : undefined };
  const candidates = (contract && contract in contractAbis ? [contract as ContractName] : []).concat(Object.keys(contractAbis) as ContractName[]);
  for (const name of candidates) {
    try {
      const parsed = interfaceOf(name).parseTransaction({ data: calldata, value });
      if (!parsed) continue;
      return {
        ...base,
        signature: `${parsed.name}(${parsed.fragment.inputs.map((i) => `${i.type}${i.name ? ` ${i.name}` : ''}`).join(', ')})`,
        args: parsed.fragment.inputs.map((input, i) => ({ name: input.name || `arg${i}`, type: input.type, value: show(parsed.args[i], input) })),
      };
    } catch {
      // args do not decode with this ABI: try the next one
    }
  }
  return base;
}
