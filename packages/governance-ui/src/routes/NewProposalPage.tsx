import { id as keccakText } from 'ethers';
import { useEffect, useState } from 'react';
import { isDeployed, useApp } from '../app-context.js';
import { decodeCall } from '../chain/decode-calls.js';
import { formatOpen, parseOpenInput } from '../format.js';
import {
  challengeWindowAction,
  feeSharesAction,
  minStakeAction,
  rawAction,
  settlerActions,
  slashShareAction,
  type ProposalAction,
} from '../proposals/param-changes.js';
import { navigate } from '../router.js';
import { TxStatus } from '../tx/TxStatus.js';
import { useTransaction } from '../tx/use-transaction.js';
import { RequireWallet } from '../ui/RequireWallet.js';
import { useAsync } from '../use-async.js';
import { useWallet } from '../wallet/wallet-context.js';

const KINDS = {
  feeShares: 'Fee shares (FeeEscrow)',
  minStake: 'Minimum stake of a datanet (DatanetRegistry)',
  slashShare: 'Slash share (DatanetRegistry)',
  challengeWindow: 'Challenge window (AttributionSettlement)',
  settler: 'Settler (AttributionSettlement)',
  raw: 'Raw calldata',
} as const;
type Kind = keyof typeof KINDS;

type Fields = Record<string, string>;

function Field({ name, label, fields, set, hint }: { name: string; label: string; fields: Fields; set(name: string, v: string): void; hint?: string }) {
  return (
    <div>
      <label htmlFor={`f-${name}`}>{label}</label>
      <input id={`f-${name}`} name={name} value={fields[name] ?? ''} onChange={(e) => set(name, e.target.value)} autoComplete="off" spellCheck={false} aria-describedby={hint ? `f-${name}-hint` : undefined} />
      {hint && (
        <small id={`f-${name}-hint`} className="muted" style={{ display: 'block' }}>
          {hint}
        </small>
      )}
    </div>
  );
}

function CallList({ title, actions, testId, onRemove }: { title: string; actions: ProposalAction[]; testId: string; onRemove?(index: number): void }) {
  const { config } = useApp();
  return (
    <div>
      <h2>{title}</h2>
      <ol>
        {actions.map((a, i) => {
          const call = decodeCall(config.deployment, a.target, a.value, a.calldata);
          return (
            <li key={i} data-testid={testId}>
              <strong>{call.contract ?? a.target}</strong>.<code>{call.signature ?? a.calldata.slice(0, 10)}</code> {call.args.map((x) => `${x.name}=${x.value}`).join(', ')}
              {onRemove && (
                <>
                  {' '}
                  <button type="button" className="secondary" onClick={() => onRemove(i)}>
                    Remove<span className="visually-hidden"> call {i + 1}</span>
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export default function NewProposalPage() {
  const { config, contracts, refreshKey } = useApp();
  const wallet = useWallet();
  const [kind, setKind] = useState<Kind>('challengeWindow');
  const [fields, setFields] = useState<Fields>({});
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string>();
  const [actions, setActions] = useState<ProposalAction[]>([]);
  /** Calls added with "Add this call"; when there are any, the proposal is exactly these. */
  const [added, setAdded] = useState<ProposalAction[]>([]);
  const tx = useTransaction();
  const set = (name: string, value: string) => setFields((f) => ({ ...f, [name]: value }));

  const current = useAsync(async () => {
    const out: Record<string, string> = {};
    if (isDeployed(config, 'FeeEscrow')) {
      const s = await contracts.FeeEscrow.feeShares();
      Object.assign(out, { protocolBps: String(s.protocolBps), modelOwnerBps: String(s.modelOwnerBps), contributorsBps: String(s.contributorsBps), curatorsBps: String(s.curatorsBps) });
    }
    if (isDeployed(config, 'DatanetRegistry')) {
      const [bps, toCurator, treasury] = await Promise.all([contracts.DatanetRegistry.slashShareBps(), contracts.DatanetRegistry.slashToCurator(), contracts.DatanetRegistry.treasury()]);
      Object.assign(out, { slashShareBps: String(bps), slashToCurator: String(toCurator), treasury });
    }
    if (isDeployed(config, 'AttributionSettlement')) out.seconds = String(await contracts.AttributionSettlement.challengeWindow());
    return out;
  }, []);
  // Prefill the form with the current on-chain values once they are read.
  useEffect(() => {
    if (current.data) setFields((f) => ({ ...current.data, ...f }));
  }, [current.data]);
  const threshold = useAsync(async () => {
    const [needed, votes] = await Promise.all([
      contracts.OpenGovernor.proposalThreshold(),
      wallet.account ? contracts.GOpenToken.getVotes(wallet.account) : Promise.resolve(0n),
    ]);
    return { needed, votes };
  }, [wallet.account, refreshKey]);

  const choose = (k: Kind) => {
    setKind(k);
    setFields({ ...(current.data ?? {}) });
    setActions([]);
    setError(undefined);
  };

  const build = async (): Promise<ProposalAction[]> => {
    const d = config.deployment;
    switch (kind) {
      case 'feeShares':
        return [feeSharesAction(d, { protocolBps: fields.protocolBps ?? '', modelOwnerBps: fields.modelOwnerBps ?? '', contributorsBps: fields.contributorsBps ?? '', curatorsBps: fields.curatorsBps ?? '' })];
      case 'minStake': {
        const datanet = await contracts.DatanetRegistry.datanet(BigInt(fields.datanetId || '0'));
        return [minStakeAction(d, { datanetId: fields.datanetId ?? '', minStakeWei: parseOpenInput(fields.minStake ?? '', 'minStake'), metadataURI: datanet.metadataURI })];
      }
      case 'slashShare':
        return [slashShareAction(d, { slashShareBps: fields.slashShareBps ?? '', slashToCurator: fields.slashToCurator === 'true', treasury: fields.treasury ?? '' })];
      case 'challengeWindow':
        return [challengeWindowAction(d, { seconds: fields.seconds ?? '' })];
      case 'settler':
        return settlerActions(d, { newSettler: fields.newSettler ?? '', oldSettler: fields.oldSettler });
      case 'raw':
        return [rawAction({ target: fields.target ?? '', value: fields.value ?? '0', calldata: fields.calldata ?? '' })];
    }
  };

  const tryBuild = async (): Promise<ProposalAction[] | undefined> => {
    setError(undefined);
    try {
      return await build();
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    }
  };

  const preview = async () => {
    const built = await tryBuild();
    setActions(built ?? []);
    return built;
  };

  const addCall = async () => {
    const built = await tryBuild();
    if (!built) return;
    setAdded((list) => [...list, ...built]);
    setActions([]);
  };

  const submit = async () => {
    const built = added.length > 0 ? added : await preview();
    if (!built) return;
    if (!title.trim()) return setError('Title: give the proposal a title');
    const description = `# ${title.trim()}\n\n${body.trim()}`;
    const args = [built.map((a) => a.target), built.map((a) => a.value), built.map((a) => a.calldata), description] as const;
    const ok = await tx.run([{ label: 'Propose', send: () => wallet.write!.OpenGovernor.propose(...args) }]);
    if (ok) {
      const id = await contracts.OpenGovernor.hashProposal(args[0], args[1], args[2], keccakText(description));
      navigate(`/proposals/${id}`);
    }
  };

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">Create a proposal</h1>
      <RequireWallet action="create a proposal">
        {threshold.data && (
          <p className={threshold.data.votes < threshold.data.needed ? 'warn' : 'muted'}>
            Proposal threshold: {formatOpen(threshold.data.needed)} votes; you have {formatOpen(threshold.data.votes)}.
          </p>
        )}
        <form onSubmit={(e) => (e.preventDefault(), void submit())} noValidate>
          <label htmlFor="kind">What to change</label>
          <select id="kind" value={kind} onChange={(e) => choose(e.target.value as Kind)}>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          {kind === 'feeShares' && (
            <div className="row">
              {['protocolBps', 'modelOwnerBps', 'contributorsBps', 'curatorsBps'].map((n) => (
                <Field key={n} name={n} label={`${n} (basis points)`} fields={fields} set={set} />
              ))}
              <p className="muted">The four shares must add up to 10000 bps.</p>
            </div>
          )}
          {kind === 'minStake' && (
            <>
              <Field name="datanetId" label="Datanet id" fields={fields} set={set} />
              <Field name="minStake" label="New minimum stake (OPEN)" fields={fields} set={set} />
            </>
          )}
          {kind === 'slashShare' && (
            <>
              <Field name="slashShareBps" label="Slash share (basis points of the stake)" fields={fields} set={set} />
              <label htmlFor="f-slashToCurator">Slashed stake goes to</label>
              <select id="f-slashToCurator" value={fields.slashToCurator ?? 'false'} onChange={(e) => set('slashToCurator', e.target.value)}>
                <option value="false">the treasury</option>
                <option value="true">the curator who rejected</option>
              </select>
              <Field name="treasury" label="Treasury address" fields={fields} set={set} />
            </>
          )}
          {kind === 'challengeWindow' && <Field name="seconds" label="Challenge window (seconds)" fields={fields} set={set} hint="How long a posted reward root can be revoked before claims open." />}
          {kind === 'settler' && (
            <>
              <Field name="newSettler" label="New settler address (gets SETTLER_ROLE)" fields={fields} set={set} />
              <Field name="oldSettler" label="Old settler address to revoke (optional)" fields={fields} set={set} />
            </>
          )}
          {kind === 'raw' && (
            <>
              <Field name="target" label="Target contract address" fields={fields} set={set} />
              <Field name="value" label="ETH value (wei)" fields={fields} set={set} />
              <div>
                <label htmlFor="f-calldata">Calldata (hex)</label>
                <textarea id="f-calldata" value={fields.calldata ?? ''} onChange={(e) => set('calldata', e.target.value)} spellCheck={false} />
              </div>
            </>
          )}
          <div className="row">
            <button type="button" className="secondary" onClick={() => void preview()}>
              Preview calls
            </button>
            <button type="button" className="secondary" onClick={() => void addCall()}>
              Add this call
            </button>
          </div>
          {actions.length > 0 && <CallList title="It will call" actions={actions} testId="preview-call" />}
          {added.length > 0 && (
            <>
              <CallList title={`Calls in this proposal (${added.length})`} actions={added} testId="added-call" onRemove={(i) => setAdded((list) => list.filter((_, j) => j !== i))} />
              <p className="muted">The proposal makes exactly these calls, in this order.</p>
            </>
          )}
          <label htmlFor="title">Title</label>
          <input id="title" value={title} onChange={(e) => setTitle(e.target.value)} />
          <label htmlFor="body">Description</label>
          <textarea id="body" value={body} onChange={(e) => setBody(e.target.value)} />
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="row">
            <button type="submit" disabled={tx.pending}>
              Submit proposal
            </button>
          </div>
        </form>
        <TxStatus state={tx.state} />
      </RequireWallet>
    </section>
  );
}
