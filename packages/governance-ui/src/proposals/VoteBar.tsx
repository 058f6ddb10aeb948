import { formatOpen } from '../format.js';
import type { Proposal } from './load-proposals.js';

/** For / against / abstain and quorum progress (for + abstain count towards quorum). */
export function VoteBar({ proposal }: { proposal: Proposal }) {
  const { for: yes, against, abstain } = proposal.votes;
  const total = yes + against + abstain;
  const pct = (v: bigint, of: bigint) => (of === 0n ? 0 : Number((v * 10000n) / of) / 100);
  const towardsQuorum = yes + abstain;
  const quorumPct = Math.min(100, pct(towardsQuorum, proposal.quorum || 1n));
  return (
    <div>
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${pct(yes, total)}%`, background: '#1f8a3b' }} />
        <span style={{ width: `${pct(against, total)}%`, background: '#c0262d' }} />
        <span style={{ width: `${pct(abstain, total)}%`, background: '#8a939f' }} />
      </div>
      <p className="muted" data-testid="tally">
        For {formatOpen(yes)} · Against {formatOpen(against)} · Abstain {formatOpen(abstain)}
      </p>
      <label>
        Quorum {quorumPct.toFixed(1)}% ({formatOpen(towardsQuorum)} of {formatOpen(proposal.quorum)})
        <progress max={100} value={quorumPct} style={{ width: '100%' }} />
      </label>
    </div>
  );
}
