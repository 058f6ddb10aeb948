import type { TxState } from './use-transaction.js';

/** Announces a transaction's state to screen readers; failures as an alert with the decoded reason. */
export function TxStatus({ state }: { state: TxState }) {
  if (state.status === 'idle') return <p className="tx-status" role="status" aria-live="polite" />;
  if (state.status === 'failed') {
    return (
      <p className="tx-status tx-failed" role="alert" data-tx="failed">
        <strong>{state.label} failed.</strong> {state.reason}
      </p>
    );
  }
  return (
    <p className={`tx-status tx-${state.status}`} role="status" aria-live="polite" data-tx={state.status}>
      {state.status === 'pending' ? (
        <>
          <span className="spinner" aria-hidden="true" /> {state.label}: {state.hash ? `pending (${state.hash.slice(0, 10)}…)` : 'waiting for signature…'}
        </>
      ) : (
        <>
          ✓ {state.label}: mined in block {state.blockNumber} <code title={state.hash}>{state.hash.slice(0, 10)}…</code>
        </>
      )}
    </p>
  );
}
