import type { ContractTransactionResponse, TransactionResponse } from 'ethers';
import { useCallback, useRef, useState } from 'react';
import { useApp } from '../app-context.js';
import { describeError } from '../chain/error-decoder.js';

export type TxState =
  | { status: 'idle' }
  | { status: 'pending'; label: string; hash?: string }
  | { status: 'mined'; label: string; hash: string; blockNumber: number }
  | { status: 'failed'; label: string; reason: string; hash?: string };

type Send = () => Promise<ContractTransactionResponse | TransactionResponse>;

/**
 * Runs transactions one after another and reports pending → mined / failed, with the revert reason
 * decoded from the contracts' custom errors. `run` resolves true when every step was mined.
 */
export function useTransaction() {
  const { refresh } = useApp();
  const [state, setState] = useState<TxState>({ status: 'idle' });
  const busy = useRef(false);

  const run = useCallback(
    async (steps: { label: string; send: Send }[]): Promise<boolean> => {
      if (busy.current) return false;
      busy.current = true;
      let hash: string | undefined;
      let label = steps[0]?.label ?? '';
      try {
        for (const step of steps) {
          label = step.label;
          hash = undefined;
          setState({ status: 'pending', label });
          const tx = await step.send();
          hash = tx.hash;
          setState({ status: 'pending', label, hash });
          const receipt = await tx.wait();
          if (!receipt || receipt.status !== 1) throw Object.assign(new Error('transaction reverted'), { code: 'CALL_EXCEPTION' });
          setState({ status: 'mined', label, hash, blockNumber: receipt.blockNumber });
        }
        refresh();
        return true;
      } catch (error) {
        setState({ status: 'failed', label, reason: describeError(error), hash });
        refresh();
        return false;
      } finally {
        busy.current = false;
      }
    },
    [refresh],
  );

  const fail = useCallback((label: string, reason: string) => setState({ status: 'failed', label, reason }), []);
  return { state, run, fail, pending: state.status === 'pending' };
}
