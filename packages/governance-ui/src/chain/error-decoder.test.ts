import { abis } from '@openledger/sdk';
import { AbiCoder, Interface, encodeBytes32String, type InterfaceAbi } from 'ethers';
import { describe, expect, it } from 'vitest';
import { contractErrors, decodeRevertData, describeError } from './error-decoder.js';

const settlement = new Interface(abis.AttributionSettlement as unknown as InterfaceAbi);
const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('error decoder', () => {
  it('knows the custom errors of every contract ABI', () => {
    const names = new Set(contractErrors().fragments.map((f) => ('name' in f ? f.name : '')));
    for (const name of ['SettlementNothingToClaim', 'DatanetInsufficientStake', 'EscrowCapExceeded', 'ModelNotOwner', 'GovernorUnexpectedProposalState', 'ERC20InsufficientBalance']) {
      expect(names.has(name)).toBe(true);
    }
  });

  it('decodes a custom error with its arguments', () => {
    const data = settlement.encodeErrorResult('SettlementInvalidProof', [account, 5n]);
    expect(decodeRevertData(data)).toBe(`SettlementInvalidProof(account: ${account}, cumulativeAmount: 5)`);
  });

  it('shows bytes32 parameter names as text', () => {
    const data = settlement.encodeErrorResult('SettlementInvalidParameter', [encodeBytes32String('amount')]);
    expect(decodeRevertData(data)).toBe('SettlementInvalidParameter(name: "amount")');
  });

  it('decodes Error(string) and Panic(uint256)', () => {
    const coder = AbiCoder.defaultAbiCoder();
    expect(decodeRevertData('0x08c379a0' + coder.encode(['string'], ['nope']).slice(2))).toBe('Error: nope');
    expect(decodeRevertData('0x4e487b71' + coder.encode(['uint256'], [17]).slice(2))).toBe('Panic: arithmetic overflow or underflow');
  });

  it('finds revert data nested in ethers and wallet errors', () => {
    const data = settlement.encodeErrorResult('SettlementNothingToClaim', [account]);
    expect(describeError({ code: 'CALL_EXCEPTION', info: { error: { data } } })).toBe(`Reverted: SettlementNothingToClaim(account: ${account})`);
    expect(describeError({ code: -32603, data: { originalError: { data } } })).toContain('SettlementNothingToClaim');
    expect(describeError({ code: 'ACTION_REJECTED' })).toBe('You rejected the request in your wallet.');
    expect(describeError({ code: 'CALL_EXCEPTION', data: '0xdeadbeef' })).toBe('Reverted with unknown error data 0xdeadbeef…');
  });
});
