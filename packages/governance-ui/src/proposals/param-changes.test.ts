import { contractAbis, parseDeployment } from '@openledger/sdk';
import { Interface, getAddress, type InterfaceAbi } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeCall } from '../chain/decode-calls.js';
import { SETTLER_ROLE, challengeWindowAction, feeSharesAction, minStakeAction, rawAction, settlerActions, slashShareAction } from './param-changes.js';

const addr = (n: number) => getAddress(`0x${n.toString(16).padStart(40, '0')}`);
const deployment = parseDeployment({
  chainId: 31337,
  startBlock: 1,
  contracts: {
    OpenToken: addr(1),
    GOpenToken: addr(2),
    OpenTimelock: addr(3),
    OpenGovernor: addr(4),
    TokenVesting: addr(5),
    DatanetRegistry: addr(6),
    ModelRegistry: addr(7),
    FeeEscrow: addr(8),
    AttributionSettlement: addr(9),
  },
});
const iface = (name: keyof typeof contractAbis) => new Interface(contractAbis[name] as unknown as InterfaceAbi);

describe('parameter-change proposals', () => {
  it('encodes fee shares against the FeeEscrow ABI and rejects shares not adding up to 10000', () => {
    const action = feeSharesAction(deployment, { protocolBps: '1000', modelOwnerBps: '4000', contributorsBps: '4000', curatorsBps: '1000' });
    expect(action.target).toBe(deployment.contracts.FeeEscrow);
    const parsed = iface('FeeEscrow').parseTransaction({ data: action.calldata })!;
    expect(parsed.name).toBe('setFeeShares');
    expect(parsed.args[0].toObject()).toEqual({ protocolBps: 1000n, modelOwnerBps: 4000n, contributorsBps: 4000n, curatorsBps: 1000n });
    expect(() => feeSharesAction(deployment, { protocolBps: '1000', modelOwnerBps: '4000', contributorsBps: '4000', curatorsBps: '999' })).toThrow(/add up to 9999/);
    expect(() => feeSharesAction(deployment, { protocolBps: 'x', modelOwnerBps: '0', contributorsBps: '0', curatorsBps: '0' })).toThrow(/protocolBps must be a whole number/);
  });

  it('encodes min stake, slash share and challenge window changes', () => {
    const min = iface('DatanetRegistry').parseTransaction({ data: minStakeAction(deployment, { datanetId: '3', minStakeWei: 10n ** 20n, metadataURI: 'ipfs://x' }).calldata })!;
    expect([min.name, min.args[0], min.args[1], min.args[2]]).toEqual(['updateDatanet', 3n, 'ipfs://x', 10n ** 20n]);
    const slash = iface('DatanetRegistry').parseTransaction({ data: slashShareAction(deployment, { slashShareBps: '2500', slashToCurator: true, treasury: addr(42) }).calldata })!;
    expect([slash.name, slash.args[0], slash.args[1]]).toEqual(['setSlashParameters', 2500n, true]);
    expect(() => slashShareAction(deployment, { slashShareBps: '10001', slashToCurator: false, treasury: addr(1) })).toThrow(/at most 10000/);
    const window = challengeWindowAction(deployment, { seconds: '7200' });
    expect(decodeCall(deployment, window.target, 0n, window.calldata)).toMatchObject({ contract: 'AttributionSettlement', signature: 'setChallengeWindow(uint64 window)', args: [{ name: 'window', value: '7200' }] });
    expect(() => challengeWindowAction(deployment, { seconds: '0' })).toThrow(/more than 0/);
  });

  it('changes the settler by granting and revoking SETTLER_ROLE', () => {
    const [grant, revoke] = settlerActions(deployment, { newSettler: addr(10), oldSettler: addr(11) });
    const s = iface('AttributionSettlement');
    expect(s.parseTransaction({ data: grant!.calldata })!.args.toArray()).toEqual([SETTLER_ROLE, addr(10)]);
    expect(s.parseTransaction({ data: revoke!.calldata })!.name).toBe('revokeRole');
    expect(() => settlerActions(deployment, { newSettler: 'bob' })).toThrow(/newSettler must be a 0x address/);
  });

  it('validates raw calldata', () => {
    expect(rawAction({ target: addr(5), value: '0', calldata: '0x12345678' })).toEqual({ target: addr(5), value: 0n, calldata: '0x12345678' });
    expect(() => rawAction({ target: addr(5), value: '0', calldata: '0x123' })).toThrow(/whole bytes/);
    expect(() => rawAction({ target: addr(5), value: '0', calldata: '0x1234' })).toThrow(/4-byte function selector/);
    expect(decodeCall(deployment, addr(77), 0n, '0xfeedf00d')).toMatchObject({ contract: undefined, signature: undefined });
  });
});
