import { JsonRpcProvider, resolveAddress, type AddressLike, type BlockTag } from 'ethers';

/**
 * A JSON-RPC provider whose "pending" transaction count is never below the mined one. Some nodes
 * (anvil 1.7 with automine among them) answer 0 for `pending` once the pool is empty, which makes
 * ethers sign with a used nonce; and ethers caches identical requests for a moment.
 */
export class SettlementProvider extends JsonRpcProvider {
  constructor(rpcUrl: string, chainId?: number) {
    super(rpcUrl, chainId, { staticNetwork: chainId !== undefined, pollingInterval: 250 });
  }

  override async getTransactionCount(address: AddressLike, blockTag?: BlockTag): Promise<number> {
    if (blockTag !== 'pending') return super.getTransactionCount(address, blockTag);
    // Straight to the node: ethers briefly caches identical requests, which would hand two
    // transactions signed in quick succession the same nonce.
    const who = await resolveAddress(address, this);
    const [pending, latest] = await Promise.all([
      this.send('eth_getTransactionCount', [who, 'pending']) as Promise<string>,
      this.send('eth_getTransactionCount', [who, 'latest']) as Promise<string>,
    ]);
    return Math.max(Number(pending), Number(latest));
  }
}
