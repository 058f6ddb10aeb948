import { AbiCoder, TypedDataEncoder, Wallet, concat, hexlify, id, keccak256, randomBytes, toUtf8Bytes } from 'ethers';
import {
  contributeTypedData,
  hashTypedDataPayload,
  permitTypedData,
  recoverTypedDataSigner,
  signTypedDataPayload,
  spendingAuthorizationTypedData,
  splitSignature,
  typedDataToJson,
} from './index.js';
import { TypedDataError } from '../errors.js';

const coder = AbiCoder.defaultAbiCoder();
const wallet = Wallet.createRandom();
const registry = Wallet.createRandom().address;

/** The digest computed the way Solidity does it (_hashTypedDataV4 over a keccak of the struct). */
function solidityDigest(name: string, chainId: bigint, verifyingContract: string, structHash: string): string {
  const domainSeparator = keccak256(
    coder.encode(
      ['bytes32', 'bytes32', 'bytes32', 'uint256', 'address'],
      [id('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'), id(name), id('1'), chainId, verifyingContract],
    ),
  );
  return keccak256(concat(['0x1901', domainSeparator, structHash]));
}

test('Contribute digest equals the one DatanetRegistry recomputes', async () => {
  const message = {
    datanetId: 7n,
    batchRoot: hexlify(randomBytes(32)),
    recordCount: 1000,
    uri: 'openledger://datanets/7/batches/abc',
    contributor: wallet.address,
    nonce: 3n,
    deadline: 1_900_000_000n,
  };
  const payload = contributeTypedData({ chainId: 31337, registry, message });
  const structHash = keccak256(
    coder.encode(
      ['bytes32', 'uint256', 'bytes32', 'uint32', 'bytes32', 'address', 'uint256', 'uint256'],
      [
        id('Contribute(uint256 datanetId,bytes32 batchRoot,uint32 recordCount,string uri,address contributor,uint256 nonce,uint256 deadline)'),
        message.datanetId,
        message.batchRoot,
        message.recordCount,
        keccak256(toUtf8Bytes(message.uri)),
        message.contributor,
        message.nonce,
        message.deadline,
      ],
    ),
  );
  expect(hashTypedDataPayload(payload)).toBe(solidityDigest('DatanetRegistry', 31337n, registry, structHash));
  const signature = await signTypedDataPayload(wallet, payload);
  expect(recoverTypedDataSigner(payload, signature)).toBe(wallet.address);
  const json = typedDataToJson(payload);
  expect(json.message.datanetId).toBe('7');
  expect(json.types.EIP712Domain).toHaveLength(4);
  expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  // what a wallet computes from the JSON form equals the payload digest
  const { EIP712Domain: _, ...types } = json.types;
  expect(TypedDataEncoder.hash(json.domain, types, json.message)).toBe(hashTypedDataPayload(payload));
});

test('SpendingAuthorization and Permit payloads', async () => {
  const escrow = Wallet.createRandom().address;
  const auth = { payer: wallet.address, operator: registry, cap: 10n ** 21n, expiry: 1_900_000_000n };
  const payload = spendingAuthorizationTypedData({ chainId: 10n, escrow, message: auth });
  const structHash = keccak256(
    coder.encode(
      ['bytes32', 'address', 'address', 'uint256', 'uint64'],
      [id('SpendingAuthorization(address payer,address operator,uint256 cap,uint64 expiry)'), auth.payer, auth.operator, auth.cap, auth.expiry],
    ),
  );
  expect(hashTypedDataPayload(payload)).toBe(solidityDigest('FeeEscrow', 10n, escrow, structHash));
  expect(recoverTypedDataSigner(payload, await signTypedDataPayload(wallet, payload))).toBe(wallet.address);

  const token = Wallet.createRandom().address;
  const permit = permitTypedData({ chainId: 31337, token, tokenName: 'OpenLedger', message: { owner: wallet.address, spender: escrow, value: 5n, nonce: 0n, deadline: 9n } });
  const signature = await signTypedDataPayload(wallet, permit);
  const { v, r, s } = splitSignature(signature);
  expect([27, 28]).toContain(v);
  expect(r).toHaveLength(66);
  expect(s).toHaveLength(66);
  expect(recoverTypedDataSigner(permit, signature)).toBe(wallet.address);
});

test('malformed messages are refused naming the field', () => {
  const base = { datanetId: 1n, batchRoot: '0x12', recordCount: 1, uri: 'x', contributor: wallet.address, nonce: 0n, deadline: 1n };
  expect(() => contributeTypedData({ chainId: 1, registry, message: base })).toThrow(TypedDataError);
  expect(() => contributeTypedData({ chainId: 1, registry, message: { ...base, batchRoot: hexlify(randomBytes(32)), recordCount: 0 } })).toThrow(/recordCount/);
  expect(() =>
    spendingAuthorizationTypedData({ chainId: 1, escrow: registry, message: { payer: wallet.address, operator: registry, cap: 1n, expiry: 1n << 64n } }),
  ).toThrow(/expiry/);
});
