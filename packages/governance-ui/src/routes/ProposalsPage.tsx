import { useApp } from '../app-context.js';
import { formatDate } from '../format.js';
import { loadProposals, proposalTitle } from '../proposals/load-proposals.js';
import { VoteBar } from '../proposals/VoteBar.js';
import { useAsync } from '../use-async.js';

export function ProposalsPage() {
  const { contracts, provider, config, refreshKey } = useApp();
  const proposals = useAsync(() => loadProposals(contracts, provider, config.deployment.startBlock), [refreshKey]);
  return (
    <section aria-labelledby="proposals-title">
      <h1 id="proposals-title">Proposals</h1>
      <p>
        <a href="#/proposals/new">Create a proposal</a>
      </p>
      {proposals.error && <p role="alert">Cannot load proposals: {proposals.error}</p>}
      {!proposals.data && !proposals.error && <p role="status">Loading proposals…</p>}
      {proposals.data?.length === 0 && <p>No proposals yet.</p>}
      <ul className="cards" style={{ listStyle: 'none', padding: 0 }}>
        {proposals.data?.map((p) => (
          <li key={p.id.toString()} className="card">
            <h2 style={{ marginTop: 0 }}>
              <a href={`#/proposals/${p.id}`}>{proposalTitle(p.description)}</a>
            </h2>
            <p>
              <span className={`badge ${p.state}`} data-testid="proposal-state">{p.state}</span>{' '}
              <span className="muted">created {formatDate(p.createdAt)}</span>
            </p>
            <VoteBar proposal={p} />
          </li>
        ))}
      </ul>
    </section>
  );
}
