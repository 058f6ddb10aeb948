import { Fragment, useState } from 'react';
import { isDeployed, useApp } from '../app-context.js';
import { formatDate, formatOpen, shortAddress } from '../format.js';
import { fetchRewards, newestClaimableProof } from '../rewards/fetch-rewards.js';
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
  const rewards = useAsync(() => fetchRewards(config.attributionUrl, account), [account, refreshKey]);
  const root = rewards.data?.proof?.root;
  const chain = useAsync(async () => {
    const s = contracts.AttributionSettlement;
    const [claimed, lastPosted, logs, info, open] = await Promise.all([
      s.claimed(account),
      s.lastPostedEpoch(),
      s.queryFilter(s.filters.Claimed(account), config.deployment.startBlock),
      root ? s.rootInfo(root) : undefined,
      root ? s.isClaimable(root) : undefined,
    ]);
    return {
      claimed,
      lastPosted: Number(lastPosted),
      claims: logs.map((l) => ({ epoch: Number(l.args.epoch), amount: l.args.amount as bigint })),
      // the state of the root the latest proof leads to (a claim may use any root past its window)
      proofRoot: info && { open: open === true, revoked: info.revoked, claimableAt: Number(info.claimableAt), posted: info.epoch !== 0n },
    };
  }, [account, refreshKey, root]);
  // the proof claims use: against the newest root past its window (the latest, or an older one while
  // newer roots are still inside theirs)
  const target = useAsync(
    async () =>
      rewards.data && config.attributionUrl
        ? newestClaimableProof(config.attributionUrl, account, rewards.data, (r) => contracts.AttributionSettlement.isClaimable(r))
        : undefined,
    [rewards.data, refreshKey],
  );
  const c = chain.data;
  const p = rewards.data?.proof;
  const q = target.data;
  const claimable = q && c ? (q.cumulativeAmount > c.claimed ? q.cumulativeAmount - c.claimed : 0n) : 0n;
  const waiting = p !== undefined && c?.proofRoot !== undefined && !c.proofRoot.open;
  const claimedIn = (chainEpoch: number | null) => c?.claims.filter((x) => x.epoch === chainEpoch).reduce((sum, x) => sum + x.amount, 0n) ?? 0n;
  return (
    <>
      {chain.error && <p role="alert">Cannot read the settlement contract: {chain.error}</p>}
      {c && (
        <p>
          Claimed so far: <strong data-testid="claimed">{formatOpen(c.claimed)} OPEN</strong>. Latest posted epoch {c.lastPosted}.
        </p>
      )}
      {rewards.error && (
        <p role="alert" className="warn" data-testid="rewards-unavailable">
          {rewards.error}
        </p>
      )}
      {rewards.data && rewards.data.epochs.length === 0 && <p>The attribution service has no rewards for this account yet.</p>}
      {rewards.data && rewards.data.epochs.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="muted">Rewards per epoch</caption>
            <thead>
              <tr>
                <th scope="col">Epoch</th>
                <th scope="col">State</th>
                <th scope="col">Earned</th>
                <th scope="col">Cumulative</th>
                <th scope="col">Claimed with this root</th>
              </tr>
            </thead>
            <tbody>
              {rewards.data.epochs.map((e) => (
                <tr key={e.epoch}>
                  <th scope="row">
                    {e.epoch}
                    {e.chainEpoch !== null && e.chainEpoch !== e.epoch ? ` (on chain ${e.chainEpoch})` : ''}
                  </th>
                  <td>{e.state}</td>
                  <td>{formatOpen(e.amount)} OPEN</td>
                  <td>{formatOpen(e.cumulativeAmount)} OPEN</td>
                  <td>{claimedIn(e.chainEpoch) > 0n ? `${formatOpen(claimedIn(e.chainEpoch))} OPEN` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rewards.data && !p && rewards.data.epochs.length > 0 && <p className="muted">No root containing this account has been posted yet.</p>}
      {p && (
        <>
          <p>
            Cumulative reward in posted epoch {p.chainEpoch}: {formatOpen(p.cumulativeAmount)} OPEN. Claimable now: <strong data-testid="claimable">{formatOpen(claimable)} OPEN</strong>
            {q && q.epoch !== p.epoch ? ` (with the root of epoch ${q.chainEpoch}, the newest past its challenge window)` : ''}
          </p>
          {target.error && <p role="alert">Cannot find a claimable root: {target.error}</p>}
          {waiting && c?.proofRoot && (
            <p className="muted" data-testid="root-state">
              {!c.proofRoot.posted
                ? `The root of epoch ${p.chainEpoch} is not on chain yet.`
                : c.proofRoot.revoked
                  ? `The root of epoch ${p.chainEpoch} was revoked; the next epoch's root will carry these rewards.`
                  : `The root of epoch ${p.chainEpoch} is still inside its challenge window; its amount can be claimed from ${new Date(c.proofRoot.claimableAt * 1000).toLocaleString()}.`}
            </p>
          )}
          <button
            type="button"
            disabled={!q || claimable === 0n || tx.pending || wallet.account?.toLowerCase() !== account.toLowerCase()}
            onClick={() => q && void tx.run([{ label: 'Claim rewards', send: () => wallet.write!.AttributionSettlement.claim(account, q.cumulativeAmount, q.proof) }])}
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
