import type { ContractName } from '../deployment.js';
import type { ContractTypes } from '../contracts.js';
import type { TypedContractEvent } from '../generated/types/common.js';
import type { DecodedLog } from './types.js';

/** Event names of a deployed contract (without the `Name(types)` signature keys). */
export type ContractEventName<N extends ContractName> = Extract<
  {
    [K in keyof ContractTypes[N]['filters']]: K extends `${string}(${string}` ? never : K;
  }[keyof ContractTypes[N]['filters']],
  string
>;

/** The decoded arguments of event `E` of contract `N` (named fields, uint → bigint). */
export type ContractEventArgs<N extends ContractName, E extends ContractEventName<N>> =
  ContractTypes[N]['filters'][E] extends TypedContractEvent<any, any, infer Output> ? Output : never;

/** A decoded log narrowed to one contract's event. */
export type ContractEventLog<N extends ContractName, E extends ContractEventName<N>> = DecodedLog & {
  source: N;
  eventName: E;
  args: ContractEventArgs<N, E>;
};

/**
 * Narrows a decoded log to `source`/`eventName` (use the contract name as the indexer source name).
 * `if (isContractEvent(log, 'DatanetRegistry', 'ContributionSubmitted')) log.args.batchRoot // string`
 */
export function isContractEvent<N extends ContractName, E extends ContractEventName<N>>(
  log: DecodedLog,
  source: N,
  eventName: E,
): log is ContractEventLog<N, E> {
  return log.source === source && log.eventName === eventName;
}
