import { Wallet } from 'ethers';
import { buildSiweMessage, generateSiweNonce, parseSiweMessage, SiweError, verifySiweMessage, type SiweMessage } from './siwe.js';

const wallet = Wallet.createRandom();
const now = new Date('2026-01-01T12:00:00.000Z');

function message(overrides: Partial<SiweMessage> = {}): SiweMessage {
  return {
    domain: 'datanets.openledger.local',
    address: wallet.address,
    statement: 'Sign in to the OpenLedger datanet service.',
    uri: 'https://datanets.openledger.local/auth',
    version: '1',
    chainId: 31337,
    nonce: 'abcDEF123456',
    issuedAt: '2026-01-01T11:59:00.000Z',
    expirationTime: '2026-01-01T12:10:00.000Z',
    ...overrides,
  };
}

async function signed(overrides: Partial<SiweMessage> = {}, signer: Wallet | ReturnType<typeof Wallet.createRandom> = wallet) {
  const text = buildSiweMessage(message(overrides));
  return { text, signature: await signer.signMessage(text) };
}

function expectReason(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SiweError);
    expect((error as SiweError).reason).toBe(reason);
    return;
  }
  throw new Error(`expected SiweError(${reason})`);
}

const expected = { domain: 'datanets.openledger.local', nonce: 'abcDEF123456', chainId: 31337, now };

test('builds the EIP-4361 text and parses it back', () => {
  const full = message({ scheme: 'https', notBefore: '2026-01-01T11:00:00Z', requestId: 'req-1', resources: ['ipfs://bafy', 'https://example.com/x'] });
  const text = buildSiweMessage(full);
  expect(text.split('\n').slice(0, 5)).toEqual([
    'https://datanets.openledger.local wants you to sign in with your Ethereum account:',
    wallet.address,
    '',
    'Sign in to the OpenLedger datanet service.',
    '',
  ]);
  expect(text).toContain('\nChain ID: 31337\nNonce: abcDEF123456\nIssued At: 2026-01-01T11:59:00.000Z\n');
  expect(text.endsWith('Resources:\n- ipfs://bafy\n- https://example.com/x')).toBe(true);
  expect(parseSiweMessage(text)).toEqual(full);
  const { statement: _, ...noStatement } = message();
  const bare = buildSiweMessage(noStatement);
  expect(bare).toContain(`${wallet.address}\n\n\nURI: `);
  expect(parseSiweMessage(bare)).toEqual(noStatement);
});

test('verifies a good sign-in', async () => {
  const { text, signature } = await signed();
  expect(verifySiweMessage({ ...expected, message: text, signature }).address).toBe(wallet.address);
});

test('refuses each kind of bad sign-in with a typed reason', async () => {
  const good = await signed();
  expectReason(() => verifySiweMessage({ ...expected, domain: 'evil.example', message: good.text, signature: good.signature }), 'domain-mismatch');
  expectReason(() => verifySiweMessage({ ...expected, nonce: 'otherNonce99', message: good.text, signature: good.signature }), 'nonce-mismatch');
  expectReason(() => verifySiweMessage({ ...expected, chainId: 1, message: good.text, signature: good.signature }), 'chain-mismatch');
  expectReason(
    () => verifySiweMessage({ ...expected, now: new Date('2026-01-01T12:10:00.000Z'), message: good.text, signature: good.signature }),
    'expired',
  );
  expectReason(() => verifySiweMessage({ ...expected, uri: 'https://other/', message: good.text, signature: good.signature }), 'uri-mismatch');
  const early = await signed({ notBefore: '2026-01-01T13:00:00Z' });
  expectReason(() => verifySiweMessage({ ...expected, message: early.text, signature: early.signature }), 'not-yet-valid');
  const other = await signed({}, Wallet.createRandom());
  expectReason(() => verifySiweMessage({ ...expected, message: good.text, signature: other.signature }), 'invalid-signature');
  expectReason(() => verifySiweMessage({ ...expected, message: good.text, signature: '0x1234' }), 'invalid-signature');
  const tampered = good.text.replace('Chain ID: 31337', 'Chain ID: 31338');
  expectReason(() => verifySiweMessage({ ...expected, chainId: 31338, message: tampered, signature: good.signature }), 'invalid-signature');
  const { expirationTime: _, ...noExpiry } = message();
  const old = await signed({ ...noExpiry, expirationTime: undefined, issuedAt: '2026-01-01T11:00:00Z' });
  expectReason(() => verifySiweMessage({ ...expected, message: old.text, signature: old.signature }), 'expired');
});

test('malformed messages are refused', () => {
  expectReason(() => parseSiweMessage('hello'), 'malformed');
  expectReason(() => buildSiweMessage(message({ address: wallet.address.toLowerCase() })), 'malformed');
  expectReason(() => buildSiweMessage(message({ nonce: 'short' })), 'malformed');
  expectReason(() => buildSiweMessage(message({ statement: 'two\nlines' })), 'malformed');
  expectReason(() => buildSiweMessage(message({ issuedAt: 'yesterday' })), 'malformed');
  const text = buildSiweMessage(message());
  expectReason(() => parseSiweMessage(text.replace('Nonce: ', 'Nonse: ')), 'malformed');
  expectReason(() => parseSiweMessage(`${text}\ntrailing`), 'malformed');
});

test('nonces are long, alphanumeric and distinct', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => generateSiweNonce()));
  expect(nonces.size).toBe(100);
  for (const nonce of nonces) expect(nonce).toMatch(/^[a-zA-Z0-9]{22}$/);
});
