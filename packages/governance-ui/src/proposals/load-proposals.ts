import type { DeployedContracts } from '@openledger/sdk';
import { id as keccakText, type JsonRpcProvider } from 'ethers';

export const PROPOSAL_STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

export interface Proposal {
  id: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
  createdBlock: number;
  createdAt: number;
  voteStart: number;
  voteEnd: number;
  state: ProposalStateName;
  votes: { against: bigint; for: bigint; abstain: bigint };
  quorum: bigint;
  /** When the Timelock lets it execute (0 when not queued). */
  eta: number;
  /** Latest block timestamp (chain time; anvil may be ahead of the wall clock). */
  now: number;
}

/** Title = first line of the description, without a leading `#`. */
export function proposalTitle(description: string): string {
  return (description.split('\n')[0] ?? '').replace(/^#+\s*/, '').trim() || '(untitled)';
}

async function details(contracts: DeployedContracts, id: bigint, now: number) {
  const governor = contracts.OpenGovernor;
  const [state, votes, eta, voteStart, voteEnd] = await Promise.all([
    governor.state(id),
    governor.proposalVotes(id),
    governor.proposalEta(id),
    governor.proposalSnapshot(id),
    governor.proposalDeadline(id),
  ]);
  // quorum(t) only answers for past timepoints
  const quorumAt = Number(voteStart) < now ? voteStart : BigInt(now - 1);
  const quorum = await governor.quorum(quorumAt);
  return {
    state: PROPOSAL_STATES[Number(state)] ?? 'Pending',
    votes: { against: votes[0], for: votes[1], abstain: votes[2] },
    eta: Number(eta),
    quorum,
    voteStart: Number(voteStart),
    voteEnd: Number(voteEnd),
  };
}

/** Every proposal since the deployment's start block, newest first, with its live state. */
export async function loadProposals(contracts: DeployedContracts, provider: JsonRpcProvider, startBlock: number, onlyId?: bigint): Promise<Proposal[]> {
  const governor = contracts.OpenGovernor;
  const logs = await governor.queryFilter(governor.filters.ProposalCreated(), startBlock);
  const latest = await provider.getBlock('latest');
  const now = latest!.timestamp;
  const out: Proposal[] = [];
  for (const log of logs) {
    // positional: `values` would hit Array.prototype.values on the ethers Result
    const a = log.args;
    const id = a[0] as bigint;
    if (onlyId !== undefined && id !== onlyId) continue;
    const block = await provider.getBlock(log.blockNumber);
    out.push({
      id,
      proposer: a[1] as string,
      targets: [...(a[2] as string[])],
      values: [...(a[3] as bigint[])],
      calldatas: [...(a[5] as string[])],
      description: a[8] as string,
      descriptionHash: keccakText(a[8] as string),
      createdBlock: log.blockNumber,
      createdAt: block!.timestamp,
      now,
      ...(await details(contracts, id, now)),
    });
  }
  return out.reverse();
}
