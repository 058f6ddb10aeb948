/**
 * Typed errors of the sdk. Every error extends {@link SdkError}, carries a stable `code` that
 * services map to problem responses, and says in its message which input was wrong.
 */
export class SdkError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A deployment file is missing, unreadable, or lacks a field. `field` names the bad field. */
export class DeploymentError extends SdkError {
  readonly field: string | undefined;
  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super('DEPLOYMENT_INVALID', message, options);
    this.field = field;
  }
}

/** A chain configuration is invalid (bad RPC URL, chain id). */
export class ChainConfigError extends SdkError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('CHAIN_CONFIG_INVALID', message);
    this.field = field;
  }
}

/** Bad input to a Merkle function (empty tree, wrong length hash, index out of range). */
export class MerkleError extends SdkError {
  constructor(message: string) {
    super('MERKLE_INVALID', message);
  }
}

/** Bad input to a typed-data (EIP-712) helper. */
export class TypedDataError extends SdkError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('TYPED_DATA_INVALID', message);
    this.field = field;
  }
}

/** The indexer cannot continue (RPC answered nonsense, a handler failed, config invalid). */
export class IndexerError extends SdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INDEXER_FAILED', message, options);
  }
}

/** A reorg went below the block the indexer treated as final: the mirror must be rebuilt. */
export class ReorgTooDeepError extends SdkError {
  readonly finalizedBlock: number;
  constructor(finalizedBlock: number) {
    super('REORG_TOO_DEEP', `a reorg replaced block ${finalizedBlock}, which the indexer had finalized`);
    this.finalizedBlock = finalizedBlock;
  }
}
