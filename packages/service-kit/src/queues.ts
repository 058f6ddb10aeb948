/**
 * The BullMQ queues services use to talk to each other, and the payload of each job. A producer and
 * its consumers live in different packages and never import each other: this file is their contract.
 * Amounts are decimal strings of wei (JSON has no bigint); ids of on-chain entities are decimal strings.
 */
export const QUEUES = {
  /** datanet-service → attribution-worker: a contribution was accepted on chain (mirrored); index its records. */
  contributionAccepted: 'contribution-accepted',
  /** datanet-service → attribution-worker: an accepted contribution was revoked or its contributor slashed. */
  contributionRevoked: 'contribution-revoked',
  /** inference-gateway → attribution-worker: one completed, billable inference. */
  usageEvents: 'usage-events',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Job id for a contribution event: deterministic, so a replayed event enqueues nothing twice. */
export const contributionJobId = (contributionId: string) => `contribution-${contributionId}`;
/** Job id for a usage event. */
export const usageJobId = (usageId: string) => `usage-${usageId}`;

export interface ContributionAcceptedJob {
  datanetId: string;
  contributionId: string;
  contributor: `0x${string}`;
  /** Curator-given weight, used when an inference has no span-level attribution. */
  weight: string;
  recordCount: number;
  batchRoot: `0x${string}`;
  /** Where the accepted records can be read as JSONL (datanet-service export, one contribution). */
  exportUrl: string;
}

export interface ContributionRevokedJob {
  datanetId: string;
  contributionId: string;
  contributor: `0x${string}`;
  reason: string;
}

/** The caller's EIP-712 FeeEscrow SpendingAuthorization the fees of this request are collected under. */
export interface SpendingAuthorizationPayload {
  payer: `0x${string}`;
  operator: `0x${string}`;
  cap: string;
  expiry: number;
  signature: `0x${string}`;
}

export interface UsageEventJob {
  usageId: string;
  /** ISO-8601 time the request completed. */
  completedAt: string;
  caller: `0x${string}`;
  adapterId: string;
  adapterVersion: number;
  baseModelId: string;
  modelOwner: `0x${string}`;
  /** Datanets the adapter was trained on (from the ModelRegistry). */
  datanetIds: string[];
  promptText: string;
  outputText: string;
  /** Token ids from the engine's tokenizer, for audit. Attribution uses its own canonical tokenizer on the text. */
  promptTokenIds: number[];
  outputTokenIds: number[];
  promptTokens: number;
  completionTokens: number;
  /** Fee of this request in OPEN wei (price per 1k tokens × total tokens / 1000, rounded up). */
  feeWei: string;
  authorization: SpendingAuthorizationPayload;
  /** Records retrieved for the prompt and cited (retrieval mode), each paid per retrieval. */
  retrievedContributionIds?: string[];
}
