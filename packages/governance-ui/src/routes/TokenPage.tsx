import { computeSupplySchedule } from '@openledger/sdk';
import { decodeBytes32String, getAddress, isAddress } from 'ethers';
import { useMemo, useState } from 'react';
import { isDeployed, useApp } from '../app-context.js';
import { formatCompact, formatDate, formatOpen } from '../format.js';
import { distributionFromDeployment } from '../token/distribution-from-deployment.js';
import { TxStatus } from '../tx/TxStatus.js';
import { useTransaction } from '../tx/use-transaction.js';
import { LineChart } from '../ui/LineChart.js';
import { NotDeployed } from '../ui/NotDeployed.js';
import { useAsync } from '../use-async.js';
import { useWallet } from '../wallet/wallet-context.js';

const COLORS = ['#0b5cad', '#1f8a3b', '#c0262d', '#8f4fc2', '#b36b00', '#2a7f8f'];
const toOpen = (wei: bigint) => Number(wei / 10n ** 18n);

function SupplyCharts() {
  const { config } = useApp();
  const schedule = useMemo(() => {
    try {
      const { config: distribution, tge } = distributionFromDeployment(config.deployment);
      return { ...computeSupplySchedule({ config: distribution, months: 60 }), tge };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [config.deployment]);
  if ('error' in schedule) return <p role="alert">Supply schedule unavailable: {schedule.error}</p>;
  const month = (m: number) => `M${m}`;
  const y = (v: number) => formatCompact(BigInt(Math.round(v)) * 10n ** 18n);
  return (
    <>
      <p className="muted">TGE {formatDate(schedule.tge)}; months of the deploy schedule; same numbers as the sdk supply report.</p>
      <LineChart
        title="Circulating supply (OPEN unlocked since TGE)"
        series={[{ label: 'circulating', color: COLORS[0]!, points: schedule.rows.map((r) => ({ x: r.month, y: toOpen(r.circulating) })) }]}
        formatX={month}
        formatY={y}
      />
      <LineChart
        title="Vesting schedule by bucket (unlocked OPEN)"
        series={schedule.buckets.map((b, i) => ({ label: b, color: COLORS[i % COLORS.length]!, points: schedule.rows.map((r) => ({ x: r.month, y: toOpen(r.byBucket[b] ?? 0n) })) }))}
        formatX={month}
        formatY={y}
      />
      <div className="table-wrap">
        <table>
          <caption className="muted">Allocation per bucket</caption>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Allocated (OPEN)</th>
              <th scope="col">Unlocked at month 12</th>
              <th scope="col">Unlocked at month 48</th>
            </tr>
          </thead>
          <tbody>
            {schedule.buckets.map((b) => (
              <tr key={b}>
                <th scope="row">{b}</th>
                <td>{formatOpen(schedule.allocatedByBucket[b] ?? 0n, 0)}</td>
                <td>{formatOpen(schedule.rows[12]?.byBucket[b] ?? 0n, 0)}</td>
                <td>{formatOpen(schedule.rows[48]?.byBucket[b] ?? 0n, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Grants({ beneficiary }: { beneficiary: string }) {
  const { contracts, provider, refreshKey } = useApp();
  const wallet = useWallet();
  const tx = useTransaction();
  const grants = useAsync(async () => {
    const vesting = contracts.TokenVesting;
    const [count, latest] = await Promise.all([vesting.grantCount(), provider.getBlock('latest')]);
    const now = latest!.timestamp;
    const all = await Promise.all(Array.from({ length: Number(count) }, (_, i) => vesting.grant(i).then((g) => ({ id: i, g }))));
    const mine = all.filter(({ g }) => g.beneficiary.toLowerCase() === beneficiary.toLowerCase());
    return Promise.all(
      mine.map(async ({ id, g }) => ({
        id,
        bucket: (() => {
          try {
            return decodeBytes32String(g.bucket);
          } catch {
            return g.bucket;
          }
        })(),
        amount: g.amount,
        released: g.released,
        vested: await vesting.vestedAmount(id, now),
        releasable: await vesting.releasable(id),
        start: Number(g.start),
        cliffEnd: Number(g.start) + Number(g.cliff),
        end: Number(g.start) + Number(g.cliff) + Number(g.duration),
        revokedAt: Number(g.revokedAt),
      })),
    );
  }, [beneficiary, refreshKey]);
  if (grants.error) return <p role="alert">Cannot read grants: {grants.error}</p>;
  if (!grants.data) return <p role="status">Loading grants…</p>;
  if (grants.data.length === 0) return <p>{beneficiary} has no vesting grant.</p>;
  return (
    <>
      <ul className="cards" style={{ listStyle: 'none', padding: 0 }}>
        {grants.data.map((g) => (
          <li key={g.id} className="card">
            <h3 style={{ marginTop: 0 }}>
              Grant #{g.id} · {g.bucket}
              {g.revokedAt ? ' (revoked)' : ''}
            </h3>
            <dl className="facts">
              <dt>Total</dt>
              <dd>{formatOpen(g.amount)} OPEN</dd>
              <dt>Vested</dt>
              <dd>{formatOpen(g.vested)} OPEN</dd>
              <dt>Released</dt>
              <dd>{formatOpen(g.released)} OPEN</dd>
              <dt>Releasable</dt>
              <dd data-testid={`releasable-${g.id}`}>{formatOpen(g.releasable)} OPEN</dd>
              <dt>Cliff ends</dt>
              <dd>{formatDate(g.cliffEnd)}</dd>
              <dt>Fully vested</dt>
              <dd>{formatDate(g.end)}</dd>
            </dl>
            {!wallet.ready && <p className="muted">Connect a wallet to release (anyone may release; the OPEN goes to the beneficiary).</p>}
            <button type="button" disabled={g.releasable === 0n || tx.pending || !wallet.ready} onClick={() => void tx.run([{ label: `Release grant #${g.id}`, send: () => wallet.write!.TokenVesting.release(g.id) }])}>
              Release grant #{g.id}
            </button>
          </li>
        ))}
      </ul>
      <TxStatus state={tx.state} />
    </>
  );
}

function GrantLookup() {
  const wallet = useWallet();
  const [typed, setTyped] = useState('');
  const beneficiary = typed.trim() ? (isAddress(typed.trim()) ? getAddress(typed.trim()) : undefined) : wallet.account;
  return (
    <>
      <label htmlFor="beneficiary">Beneficiary address</label>
      <input
        id="beneficiary"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        placeholder={wallet.account ?? '0x…'}
        autoComplete="off"
        spellCheck={false}
        aria-describedby="beneficiary-hint"
        aria-invalid={typed.trim() && !beneficiary ? true : undefined}
      />
      <small id="beneficiary-hint" className="muted" style={{ display: 'block' }}>
        {typed.trim() && !beneficiary ? 'Enter a 0x address (40 hex digits).' : 'Empty = the connected account.'}
      </small>
      {beneficiary ? <Grants beneficiary={beneficiary} /> : !typed.trim() && <p className="muted">Connect a wallet or enter an address to see its grants.</p>}
    </>
  );
}

export default function TokenPage() {
  const { config } = useApp();
  return (
    <section aria-labelledby="token-title">
      <h1 id="token-title">Token &amp; vesting</h1>
      <h2>Supply</h2>
      <SupplyCharts />
      <h2>Vesting grants</h2>
      {isDeployed(config, 'TokenVesting') ? (
        <GrantLookup />
      ) : (
        <NotDeployed name="TokenVesting" />
      )}
    </section>
  );
}
