import { Interface, Wallet } from 'ethers';
import { abis } from './generated/abis.js';
import { decodeRevert, revertData } from './revert.js';

test('decodes custom errors of the generated ABIs, Error(string) and Panic(uint256)', () => {
  const registry = new Interface(abis.DatanetRegistry as never);
  const account = Wallet.createRandom().address;
  const data = registry.encodeErrorResult('DatanetInsufficientStake', [7n, account, 1n, 10n]);
  expect(decodeRevert(data)).toEqual({
    name: 'DatanetInsufficientStake',
    signature: 'DatanetInsufficientStake(uint256,address,uint256,uint256)',
    args: { datanetId: 7n, account, stake: 1n, minStake: 10n },
    selector: data.slice(0, 10),
  });
  const std = new Interface(['error Error(string)', 'error Panic(uint256)']);
  expect(decodeRevert(std.encodeErrorResult('Error', ['nope']))).toMatchObject({ name: 'Error', args: { message: 'nope' } });
  expect(decodeRevert(std.encodeErrorResult('Panic', [0x11n]))).toMatchObject({ name: 'Panic', args: { code: 0x11n } });
  // an ethers-shaped error with the data nested inside
  expect(decodeRevert({ code: 'CALL_EXCEPTION', info: { error: { data } } })?.name).toBe('DatanetInsufficientStake');
  expect(revertData(new Error('no data'))).toBeUndefined();
  expect(decodeRevert('0x12345678')).toBeUndefined();
  expect(decodeRevert(undefined)).toBeUndefined();
});
