import { probe } from './probe.js';
import { keccak256 } from 'ethers';
test('probe', () => { expect(probe(2n)).toBe(4n); expect(keccak256('0x')).toMatch(/^0x/); });
