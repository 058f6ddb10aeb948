import { formatEther } from 'ethers';
import { useState } from 'react';
import { useApp } from '../app-context.js';
import { decodeCall } from '../chain/decode-calls.js';
import { formatDate, formatDuration, formatOpen, shortAddress } from '../format.js';
import { loadProposals, proposalTitle, type Proposal } from '../proposals/load-proposals.js';
import { VoteBar } from '../proposals/VoteBar.js';
import { TxStatus } from '../tx/TxStatus.js';
import { useTransaction } from '../tx/use-transaction.js';
import { RequireWallet } from '../ui/RequireWallet.js';
import { useAsync } from '../use-async.js';
import { useWallet } from '../wallet/wallet-context.js';

function Actions({ proposal }: { proposal: Proposal }) {
  const { config } = useApp();
  return (
    <ol>
      {proposal.targets.map((target, i) => {
        const call = decodeCall(config.deployment, target, proposal.values[i] ?? 0n, proposal.calldatas[i] ?? '0x');
        return (
          <li key={i} data-testid="decoded-call">
            <strong>{call.contract ?? shortAddress(target)}</strong>.<code>{call.signature ?? `unknown selector ${call.calldata.slice(0, 10)}`}</code>
            {call.value > 0n && <span> sending {formatEther(call.value)} ETH</span>}
            {call.args.length > 0 && (
              <ul>
                {call.args.map((a) => (
                  <li key={a.name}>
                    {a.name} = <code>{a.value}</code>
                  </li>
                ))}
              </ul>
            )}
            <details>
              <summary>Raw call</summary>
              <p>
                target <code>{target}</code>
              </p>
              <p>
                calldata <code>{call.calldata}</code>
              </p>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

function Timeline({ p }: { p: Proposal }) {
  const items: [string, number | undefined][] = [
    ['Created', p.createdAt],
    ['Voting starts', p.voteStart],
    ['Voting ends', p.voteEnd],
    ['Executable (Timelock)', p.eta || undefined],
  ];
  return (
    <ol className="timeline">
      {items.map(([label, at]) => (
        <li key={label}>
          {label}: {at ? `${formatDate(at)}${at > p.now ? ` (in ${formatDuration(at - p.now)})` : ''}` : '—'}
        </li>
      ))}
      {p.state === 'Executed' && <li>Executed ✓</li>}
    </ol>
  );
}

function VoteForm({ proposal }: { proposal: Proposal }) {
  const { contracts, refreshKey } = useApp();
  const wallet = useWallet();
  const [support, setSupport] = useState<0 | 1 | 2>(1);
  const [reason, setReason] = useState('');
  const tx = useTransaction();
  const mine = useAsync(async () => {
    if (!wallet.account) return undefined;
    const [voted, weight] = await Promise.all([
      contracts.OpenGovernor.hasVoted(proposal.id, wallet.account),
      contracts.OpenGovernor.getVotes(wallet.account, BigInt(proposal.voteStart)),
    ]);
    return { voted, weight };
  }, [wallet.account, proposal.id, refreshKey]);
  const vote = () =>
    tx.run([
      {
        label: `Vote ${['against', 'for', 'abstain'][support]}`,
        send: () => (reason.trim() ? wallet.write!.OpenGovernor.castVoteWithReason(proposal.id, support, reason.trim()) : wallet.write!.OpenGovernor.castVote(proposal.id, support)),
      },
    ]);
  return (
    <form onSubmit={(e) => (e.preventDefault(), void vote())}>
      {mine.data && (
        <p className="muted">
          Your voting weight at the snapshot: {formatOpen(mine.data.weight)} GOPEN{mine.data.voted ? ' — you have voted.' : ''}
        </p>
      )}
      <fieldset>
        <legend>Your vote</legend>
        {(['Against', 'For', 'Abstain'] as const).map((label, i) => (
          <label key={label} style={{ display: 'inline-flex', gap: 6, marginRight: 16, fontWeight: 400 }}>
            <input type="radio" name="support" value={i} checked={support === i} onChange={() => setSupport(i as 0 | 1 | 2)} /> {label}
          </label>
        ))}
      </fieldset>
      <label htmlFor="reason">Reason (optional, stored on chain)</label>
      <textarea id="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      <div className="row">
        <button type="submit" disabled={tx.pending}>
          Cast vote
        </button>
      </div>
      <TxStatus state={tx.state} />
    </form>
  );
}

function QueueExecute({ proposal }: { proposal: Proposal }) {
  const wallet = useWallet();
  const tx = useTransaction();
  const canExecute = proposal.state === 'Queued' && proposal.eta > 0 && proposal.now >= proposal.eta;
  return (
    <div>
      {proposal.state === 'Succeeded' && (
        <button type="button" disabled={tx.pending} onClick={() => void tx.run([{ label: 'Queue in the Timelock', send: () => wallet.write!.OpenGovernor['queue(uint256)'](proposal.id) }])}>
          Queue
        </button>
      )}
      {proposal.state === 'Queued' && (
        <>
          <p>
            {canExecute
              ? 'The Timelock delay has passed: anyone can execute.'
              : `The Timelock allows execution at ${formatDate(proposal.eta)} (in ${formatDuration(proposal.eta - proposal.now)}).`}
          </p>
          <button type="button" disabled={!canExecute || tx.pending} onClick={() => void tx.run([{ label: 'Execute', send: () => wallet.write!.OpenGovernor['execute(uint256)'](proposal.id) }])}>
            Execute
          </button>
        </>
      )}
      <TxStatus state={tx.state} />
    </div>
  );
}

export default function ProposalPage({ proposalId }: { proposalId: bigint }) {
  const { contracts, provider, config, refreshKey } = useApp();
  const loaded = useAsync(() => loadProposals(contracts, provider, config.deployment.startBlock, proposalId), [proposalId, refreshKey]);
  const p = loaded.data?.[0];
  if (loaded.error) return <p role="alert">Cannot load the proposal: {loaded.error}</p>;
  if (!loaded.data) return <p role="status">Loading proposal…</p>;
  if (!p) return <p role="alert">No proposal with id {proposalId.toString()} on this chain.</p>;
  return (
    <section aria-labelledby="proposal-title">
      <p>
        <a href="#/proposals">← All proposals</a>
      </p>
      <h1 id="proposal-title">{proposalTitle(p.description)}</h1>
      <p>
        <span className={`badge ${p.state}`} data-testid="proposal-state">
          {p.state}
        </span>{' '}
        <span className="muted">
          by <code>{shortAddress(p.proposer)}</code> · id <code>{p.id.toString().slice(0, 12)}…</code>
        </span>
      </p>
      <VoteBar proposal={p} />
      <h2>Timeline</h2>
      <Timeline p={p} />
      <h2>What it will call</h2>
      <Actions proposal={p} />
      <h2>Description</h2>
      <p style={{ whiteSpace: 'pre-wrap' }}>{p.description.replace(/^#[^\n]*\n+/, '') || '(no description)'}</p>
      {/* Executed keeps the section mounted so the Execute transaction's mined status stays in view. */}
      {(p.state === 'Active' || p.state === 'Succeeded' || p.state === 'Queued' || p.state === 'Executed') && (
        <>
          <h2>{p.state === 'Active' ? 'Vote' : 'Queue and execute'}</h2>
          <RequireWallet action={p.state === 'Active' ? 'vote' : 'queue or execute'}>{p.state === 'Active' ? <VoteForm proposal={p} /> : <QueueExecute proposal={p} />}</RequireWallet>
        </>
      )}
      {p.state === 'Pending' && <p>Voting opens {formatDate(p.voteStart)} (in {formatDuration(p.voteStart - p.now)}).</p>}
    </section>
  );
}
