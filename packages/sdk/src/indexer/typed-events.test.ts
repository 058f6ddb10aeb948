import { isContractEvent, type ContractEventArgs } from './typed-events.js';
import type { DecodedLog } from './types.js';

const log: DecodedLog = {
  checkpoint: '0'.repeat(32),
  source: 'DatanetRegistry',
  eventName: 'ContributionSubmitted',
  args: { contributionId: 1n, datanetId: 2n, contributor: '0x0000000000000000000000000000000000000001', batchRoot: '0x' + '11'.repeat(32), recordCount: 3n, uri: 'u' },
  address: '0x0000000000000000000000000000000000000002',
  blockNumber: 0,
  blockHash: '0x',
  transactionHash: '0x',
  transactionIndex: 0,
  logIndex: 0,
  topics: [],
  data: '0x',
};

test('isContractEvent narrows decoded args to the typechain event output', () => {
  expect(isContractEvent(log, 'DatanetRegistry', 'ContributionAccepted')).toBe(false);
  expect(isContractEvent(log, 'ModelRegistry', 'AdapterRegistered')).toBe(false);
  if (!isContractEvent(log, 'DatanetRegistry', 'ContributionSubmitted')) throw new Error('expected a match');
  const datanetId: bigint = log.args.datanetId;
  const root: string = log.args.batchRoot;
  expect([datanetId, root]).toEqual([2n, '0x' + '11'.repeat(32)]);
  const args: ContractEventArgs<'OpenToken', 'Transfer'> = { from: '0x', to: '0x', value: 1n };
  expect(args.value).toBe(1n);
  // @ts-expect-error not an event of DatanetRegistry
  expect(isContractEvent(log, 'DatanetRegistry', 'NoSuchEvent')).toBe(false);
});
