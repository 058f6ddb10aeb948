import { getAddress, isAddress, ZeroAddress } from 'ethers';
import { useState } from 'react';
import { useApp } from '../app-context.js';
import { formatCompact, formatDate, formatOpen, parseOpenInput, shortAddress } from '../format.js';
import { TxStatus } from '../tx/TxStatus.js';
import { useTransaction } from '../tx/use-transaction.js';
import { AmountField } from '../ui/AmountField.js';
import { LineChart } from '../ui/LineChart.js';
import { RequireWallet } from '../ui/RequireWallet.js';
import { useAsync } from '../use-async.js';
import { useWallet } from '../wallet/wallet-context.js';

function useAccountState(account: string | undefined) {
  const { contracts, refreshKey } = useApp();
  return useAsync(async () => {
    if (!account) return undefined;
    const [open, gopen, votes, delegatee, allowance] = await Promise.all([
      contracts.OpenToken.balanceOf(account),
      contracts.GOpenToken.balanceOf(account),
      contracts.GOpenToken.getVotes(account),
      contracts.GOpenToken.delegates(account),
      contracts.OpenToken.allowance(account, contracts.GOpenToken.target as string),
    ]);
    return { open, gopen, votes, delegatee, allowance };
  }, [account, refreshKey]);
}

function VotingPowerChart({ account }: { account: string }) {
  const { contracts, provider, config, refreshKey } = useApp();
  const history = useAsync(async () => {
    const logs = await contracts.GOpenToken.queryFilter(contracts.GOpenToken.filters.DelegateVotesChanged(account), config.deployment.startBlock);
    const points: { x: number; y: number }[] = [];
    for (const log of logs) {
      const block = await provider.getBlock(log.blockNumber);
      points.push({ x: block!.timestamp, y: Number((log.args.newVotes as bigint) / 10n ** 15n) / 1000 });
    }
    const latest = await provider.getBlock('latest');
    if (points.length) points.push({ x: latest!.timestamp, y: points[points.length - 1]!.y });
    return points;
  }, [account, refreshKey]);
  if (history.error) return <p role="alert">Voting power history unavailable: {history.error}</p>;
  if (!history.data) return <p role="status">Loading voting power…</p>;
  return (
    <LineChart
      title="Your voting power over time (GOPEN votes)"
      step
      series={[{ label: 'votes', color: '#0b5cad', points: history.data }]}
      formatX={(x) => formatDate(x).slice(0, 10)}
      formatY={(y) => formatCompact(BigInt(Math.round(y)) * 10n ** 18n)}
    />
  );
}

export function AccountPage() {
  const { contracts } = useApp();
  const wallet = useWallet();
  const state = useAccountState(wallet.account);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string>();
  const [delegateTo, setDelegateTo] = useState('');
  const [delegateError, setDelegateError] = useState<string>();
  const tx = useTransaction();
  const gopenAddress = contracts.GOpenToken.target as string;

  const parsed = (): bigint | undefined => {
    try {
      const wei = parseOpenInput(amount);
      setAmountError(undefined);
      return wei;
    } catch (e) {
      setAmountError((e as Error).message);
      return undefined;
    }
  };

  const wrap = async () => {
    const wei = parsed();
    if (wei === undefined || !wallet.write || !wallet.account) return;
    const steps = [];
    if ((state.data?.allowance ?? 0n) < wei) steps.push({ label: 'Approve OPEN for wrapping', send: () => wallet.write!.OpenToken.approve(gopenAddress, wei) });
    steps.push({ label: 'Wrap OPEN → GOPEN', send: () => wallet.write!.GOpenToken.depositFor(wallet.account!, wei) });
    if (await tx.run(steps)) setAmount('');
  };
  const unwrap = async () => {
    const wei = parsed();
    if (wei === undefined || !wallet.write || !wallet.account) return;
    if (await tx.run([{ label: 'Unwrap GOPEN → OPEN', send: () => wallet.write!.GOpenToken.withdrawTo(wallet.account!, wei) }])) setAmount('');
  };
  const delegate = async (self: boolean) => {
    if (!wallet.write || !wallet.account) return;
    let to = wallet.account;
    if (!self) {
      if (!isAddress(delegateTo.trim())) return setDelegateError('Delegate: enter a 0x address (40 hex digits)');
      to = getAddress(delegateTo.trim());
    }
    setDelegateError(undefined);
    await tx.run([{ label: self ? 'Delegate to yourself' : `Delegate to ${shortAddress(to)}`, send: () => wallet.write!.GOpenToken.delegate(to) }]);
  };

  const d = state.data;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Vote &amp; delegate</h1>
      <p>Wrap OPEN into GOPEN to vote. Votes count once GOPEN is delegated — to yourself or to someone you trust.</p>
      <RequireWallet action="see your balances, wrap and delegate">
        {state.error && <p role="alert">Cannot read balances: {state.error}</p>}
        <div className="cards">
          <div className="card">
            <div className="muted">OPEN balance</div>
            <div className="stat" data-testid="open-balance">{d ? formatOpen(d.open) : '…'}</div>
          </div>
          <div className="card">
            <div className="muted">GOPEN balance</div>
            <div className="stat" data-testid="gopen-balance">{d ? formatOpen(d.gopen) : '…'}</div>
          </div>
          <div className="card">
            <div className="muted">Your votes</div>
            <div className="stat" data-testid="votes">{d ? formatOpen(d.votes) : '…'}</div>
            <div className="muted">
              Delegated to:{' '}
              {d ? d.delegatee === ZeroAddress ? 'nobody (votes inactive)' : d.delegatee === wallet.account ? 'yourself' : <code>{d.delegatee}</code> : '…'}
            </div>
          </div>
        </div>
        <h2>Wrap and unwrap</h2>
        <form onSubmit={(e) => (e.preventDefault(), void wrap())}>
          <AmountField name="amount" label="Amount (OPEN / GOPEN)" value={amount} onChange={setAmount} error={amountError} />
          <div className="row">
            <button type="submit" disabled={tx.pending}>
              Wrap OPEN → GOPEN
            </button>
            <button type="button" className="secondary" disabled={tx.pending} onClick={() => void unwrap()}>
              Unwrap GOPEN → OPEN
            </button>
          </div>
        </form>
        <h2>Delegate</h2>
        <form onSubmit={(e) => (e.preventDefault(), void delegate(false))}>
          <div className="row">
            <button type="button" disabled={tx.pending} onClick={() => void delegate(true)}>
              Delegate to myself
            </button>
          </div>
          <label htmlFor="delegatee">Or delegate to an address</label>
          <input
            id="delegatee"
            value={delegateTo}
            onChange={(e) => setDelegateTo(e.target.value)}
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={delegateError ? true : undefined}
            aria-describedby={delegateError ? 'delegatee-error' : undefined}
          />
          {delegateError && (
            <p className="field-error" id="delegatee-error">
              {delegateError}
            </p>
          )}
          <div className="row">
            <button type="submit" className="secondary" disabled={tx.pending}>
              Delegate to address
            </button>
          </div>
        </form>
        <TxStatus state={tx.state} />
        {wallet.account && <VotingPowerChart account={wallet.account} />}
      </RequireWallet>
    </section>
  );
}
