import { Fragment, useState } from 'react';
import { isDeployed, useApp } from '../app-context.js';
import { formatDate, formatOpen, shortAddress } from '../format.js';
import { fetchRewards } from '../rewards/fetch-rewards.js';
import { TxStatus } from '../tx/TxStatus.js';
import { useTransaction } from '../tx/use-transaction.js';
import { NotDeployed } from '../ui/NotDeployed.js';
import { RequireWallet } from '../ui/RequireWallet.js';
import { useAsync } from '../use-async.js';
import { useWallet } from '../wallet/wallet-context.js';

const STATUS = ['None', 'Pending', 'Accepted', 'Rejected', 'Revoked'];

function Contributions({ datanetId }: { datanetId: bigint }) {
  const { contracts, refreshKey } = useApp();
  const list = useAsync(async () => {
    const ids = await contracts.DatanetRegistry.contributionsOf(datanetId, 0, 50);
    return Promise.all(ids.map(async (id) => ({ id, c: await contracts.DatanetRegistry.contribution(id) })));
  }, [datanetId, refreshKey]);
  if (list.error) return <p role="alert">{list.error}</p>;
  if (!list.data) return <p role="status">Loading contributions…</p>;
  if (list.data.length === 0) return <p className="muted">No contributions yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Contributor</th>
            <th scope="col">Records</th>
            <th scope="col">Status</th>
            <th scope="col">Weight</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map(({ id, c }) => (
            <tr key={id.toString()}>
              <th scope="row">{id.toString()}</th>
              <td>
                <code>{shortAddress(c.contributor)}</code>
              </td>
              <td>{c.recordCount.toString()}</td>
              <td>{STATUS[Number(c.status)]}</td>
              <td>{c.weight.toString()}</td>
              <td>{formatDate(c.submittedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Datanets() {
  const { contracts, refreshKey } = useApp();
  const wallet = useWallet();
  const [open, setOpen] = useState<bigint>();
  const list = useAsync(async () => {
    const datanets = await contracts.DatanetRegistry.datanets(0, 100);
    return Promise.all(
      datanets.map(async (d, i) => ({
        id: BigInt(i + 1),
        d,
        myStake: wallet.account ? await contracts.DatanetRegistry.stakeOf(i + 1, wallet.account).catch(() => undefined) : undefined,
      })),
    );
  }, [wallet.account, refreshKey]);
  if (list.error) return <p role="alert">Cannot read datanets: {list.error}</p>;
  if (!list.data) return <p role="status">Loading datanets…</p>;
  if (list.data.length === 0) return <p>No datanets yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Datanet</th>
            <th scope="col">Minimum stake</th>
            <th scope="col">Total staked</th>
            <th scope="col">Contributions</th>
            <th scope="col">Your stake</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map(({ id, d, myStake }) => (
            <Fragment key={id.toString()}>
              <tr>
                <th scope="row">
                  <button type="button" className="secondary" aria-expanded={open === id} aria-controls={`contributions-${id}`} onClick={() => setOpen(open === id ? undefined : id)}>
                    {d.name}
                  </button>
                </th>
                <td>{formatOpen(d.minStake)} OPEN</td>
                <td>{formatOpen(d.totalStaked)} OPEN</td>
                <td>{d.contributionCount.toString()}</td>
                <td>{myStake ? `${formatOpen(myStake.amount)} OPEN` : '—'}</td>
              </tr>
              {open === id && (
                <tr id={`contributions-${id}`}>
                  <td colSpan={5}>
                    <Contributions datanetId={id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Models() {
  const { contracts, config, refreshKey } = useApp();
  const list = useAsync(async () => {
    const count = Number(await contracts.ModelRegistry.adapterCount());
    const ids = Array.from({ length: Math.min(count, 100) }, (_, i) => i + 1);
    return Promise.all(
      ids.map(async (id) => {
        const a = await contracts.ModelRegistry.adapter(id);
        const v = a.latestVersion > 0n ? await contracts.ModelRegistry.latestVersion(id) : undefined;
        const base = await contracts.ModelRegistry.baseModel(a.baseModelId).catch(() => undefined);
        return { id, a, v, base };
      }),
    );
  }, [refreshKey]);
  const usage = useAsync(async () => {
    if (!config.gatewayUrl) return undefined;
    const response = await fetch(`${config.gatewayUrl}/v1/models`).catch(() => undefined);
    if (!response?.ok) return undefined;
    const body = (await response.json()) as { data?: { id: string; usage?: { tokens?: number; requests?: number } }[] };
    return new Map((body.data ?? []).map((m) => [m.id, m.usage]));
  }, []);
  if (list.error) return <p role="alert">Cannot read models: {list.error}</p>;
  if (!list.data) return <p role="status">Loading models…</p>;
  if (list.data.length === 0) return <p>No adapters registered yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Adapter</th>
            <th scope="col">Base model</th>
            <th scope="col">Version</th>
            <th scope="col">Price per 1k tokens</th>
            <th scope="col">Datanets</th>
            <th scope="col">Usage</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map(({ id, a, v, base }) => {
            const u = usage.data?.get(String(id));
            return (
              <tr key={id}>
                <th scope="row">
                  #{id} {a.name}
                  {a.deprecated ? ' (deprecated)' : ''}
                  {a.delisted ? ' (delisted)' : ''}
                </th>
                <td>{base?.name ?? `#${a.baseModelId}`}</td>
                <td>{a.latestVersion.toString()}</td>
                <td>{v ? `${formatOpen(v.pricePer1kTokens, 6)} OPEN` : '—'}</td>
                <td>{v ? v.datanetIds.map(String).join(', ') : '—'}</td>
                <td>{u ? `${u.requests ?? 0} requests, ${u.tokens ?? 0} tokens` : <span className="muted">{config.gatewayUrl ? 'gateway unavailable' : 'n/a'}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Rewards({ account }: { account: string }) {
  const { contracts, config, refreshKey } = useApp();
  const wallet = useWallet();
  const tx = useTransaction();
  const chain = useAsync(async () => {
    const s = contracts.AttributionSettlement;
    const [claimed, claimableEpoch, lastPosted, logs] = await Promise.all([
      s.claimed(account),
      s.claimableEpoch(),
      s.lastPostedEpoch(),
      s.queryFilter(s.filters.Claimed(account), config.deployment.startBlock),
    ]);
    return { claimed, claimableEpoch: Number(claimableEpoch), lastPosted: Number(lastPosted), claims: logs.map((l) => ({ epoch: Number(l.args.epoch), amount: l.args.amount as bigint })) };
  }, [account, refreshKey]);
  const proof = useAsync(() => fetchRewards(config.attributionUrl, account), [account, refreshKey]);
  const c = chain.data;
  const p = proof.data;
  const claimable = p && c ? (p.cumulativeAmount > c.claimed ? p.cumulativeAmount - c.claimed : 0n) : 0n;
  const waiting = p && c && p.epoch > c.claimableEpoch;
  return (
    <>
      {chain.error && <p role="alert">Cannot read the settlement contract: {chain.error}</p>}
      {c && (
        <p>
          Claimed so far: <strong data-testid="claimed">{formatOpen(c.claimed)} OPEN</strong>. Latest posted epoch {c.lastPosted}; claimable up to epoch {c.claimableEpoch}.
        </p>
      )}
      {proof.error && (
        <p role="alert" className="warn" data-testid="rewards-unavailable">
          {proof.error}
        </p>
      )}
      {!proof.error && !proof.loading && !p && <p>The attribution service has no rewards for this account yet.</p>}
      {p && (
        <>
          <div className="table-wrap">
            <table>
              <caption className="muted">Rewards per epoch</caption>
              <thead>
                <tr>
                  <th scope="col">Epoch</th>
                  <th scope="col">Earned</th>
                  <th scope="col">Claimed in this epoch</th>
                </tr>
              </thead>
              <tbody>
                {[...new Set([...p.epochs.map((e) => e.epoch), ...(c?.claims.map((x) => x.epoch) ?? []), p.epoch])]
                  .sort((a, b) => a - b)
                  .map((epoch) => (
                    <tr key={epoch}>
                      <th scope="row">{epoch}</th>
                      <td>{(() => { const e = p.epochs.find((x) => x.epoch === epoch); return e ? `${formatOpen(e.amount)} OPEN` : '—'; })()}</td>
                      <td>{(() => { const x = c?.claims.filter((y) => y.epoch === epoch).reduce((s, y) => s + y.amount, 0n); return x ? `${formatOpen(x)} OPEN` : '—'; })()}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <p>
            Cumulative reward through epoch {p.epoch}: {formatOpen(p.cumulativeAmount)} OPEN. Claimable now: <strong data-testid="claimable">{formatOpen(claimable)} OPEN</strong>
          </p>
          {waiting && <p className="muted">Epoch {p.epoch} is still inside its challenge window; claims open when it ends.</p>}
          <button
            type="button"
            disabled={claimable === 0n || !!waiting || tx.pending || wallet.account?.toLowerCase() !== account.toLowerCase()}
            onClick={() => void tx.run([{ label: 'Claim rewards', send: () => wallet.write!.AttributionSettlement.claim(account, p.cumulativeAmount, p.proof) }])}
          >
            Claim {formatOpen(claimable)} OPEN
          </button>
        </>
      )}
      <TxStatus state={tx.state} />
    </>
  );
}

export default function DataPage() {
  const { config } = useApp();
  const wallet = useWallet();
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data &amp; models</h1>
      <h2>Datanets</h2>
      {isDeployed(config, 'DatanetRegistry') ? <Datanets /> : <NotDeployed name="DatanetRegistry" />}
      <h2>Models and adapters</h2>
      {isDeployed(config, 'ModelRegistry') ? <Models /> : <NotDeployed name="ModelRegistry" />}
      <h2>Your attribution rewards</h2>
      {isDeployed(config, 'AttributionSettlement') ? (
        <RequireWallet action="see and claim your rewards">{wallet.account && <Rewards account={wallet.account} />}</RequireWallet>
      ) : (
        <NotDeployed name="AttributionSettlement" />
      )}
    </section>
  );
}
