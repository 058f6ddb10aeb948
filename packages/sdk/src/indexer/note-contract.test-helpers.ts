import { AbiCoder, Wallet, id, type Provider } from 'ethers';

/**
 * A 44-byte contract for indexer tests and benches, assembled by hand so the tests need no compiler:
 * every call emits `Note(uint256 value)` with the calldata as the event data
 * (runtime: CALLDATACOPY(0, 0, CALLDATASIZE); LOG1(0, CALLDATASIZE, topic); STOP).
 */
export const NOTE_ABI = ['event Note(uint256 value)'] as const;
export const NOTE_TOPIC = id('Note(uint256)');
const RUNTIME = `0x3660006000377f${NOTE_TOPIC.slice(2)}366000a100`;
export const NOTE_INITCODE = `0x602c600c600039602c6000f3${RUNTIME.slice(2)}`;

export async function deployNoteContract(wallet: Wallet): Promise<{ address: string; blockNumber: number }> {
  const tx = await wallet.sendTransaction({ data: NOTE_INITCODE, nonce: await latestNonce(wallet) });
  const receipt = (await tx.wait())!;
  return { address: receipt.contractAddress!, blockNumber: receipt.blockNumber };
}

/** Emits Note(value) and returns the block it landed in. */
export async function emitNote(wallet: Wallet, note: string, value: bigint): Promise<number> {
  const nonce = await latestNonce(wallet);
  const data = AbiCoder.defaultAbiCoder().encode(['uint256'], [value]);
  const tx = await wallet.sendTransaction({ to: note, data, nonce, gasLimit: 30_000 });
  return (await tx.wait())!.blockNumber;
}

export async function mine(provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> }, blocks = 1): Promise<void> {
  for (let i = 0; i < blocks; i++) await provider.send('evm_mine', []);
}

/** The nonce from the latest block (ethers' pending count can lag behind an evm_revert). */
async function latestNonce(wallet: Wallet): Promise<number> {
  const provider = wallet.provider as unknown as { send(method: string, params: unknown[]): Promise<string> };
  return Number(await provider.send('eth_getTransactionCount', [wallet.address, 'latest']));
}
