/**
 * Sortable, fixed-width checkpoint strings: `blockNumber|transactionIndex|logIndex` as zero-padded
 * decimals, so string order = chain order and a row keyed by its checkpoint is upserted
 * idempotently when a block is delivered again after a restart.
 *
 * Widths: block number 16 digits (covers every safe JS integer, 2^53 ≈ 9.0e15, i.e. millennia of
 * 1-ms blocks); transaction index 8 and log index 8 digits (no block holds 10^8 transactions or logs).
 */
export const BLOCK_DIGITS = 16;
export const TX_INDEX_DIGITS = 8;
export const LOG_INDEX_DIGITS = 8;
export const CHECKPOINT_LENGTH = BLOCK_DIGITS + TX_INDEX_DIGITS + LOG_INDEX_DIGITS;

const MAX_TX_INDEX = 10 ** TX_INDEX_DIGITS - 1;
const MAX_LOG_INDEX = 10 ** LOG_INDEX_DIGITS - 1;

export interface Checkpoint {
  blockNumber: number;
  transactionIndex: number;
  logIndex: number;
}

function pad(value: number, digits: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 10 ** digits) {
    throw new RangeError(`checkpoint ${name} ${value} does not fit in ${digits} digits`);
  }
  return value.toString().padStart(digits, '0');
}

export function encodeCheckpoint({ blockNumber, transactionIndex, logIndex }: Checkpoint): string {
  return (
    pad(blockNumber, BLOCK_DIGITS, 'blockNumber') +
    pad(transactionIndex, TX_INDEX_DIGITS, 'transactionIndex') +
    pad(logIndex, LOG_INDEX_DIGITS, 'logIndex')
  );
}

export function decodeCheckpoint(checkpoint: string): Checkpoint {
  if (checkpoint.length !== CHECKPOINT_LENGTH || !/^\d+$/.test(checkpoint)) {
    throw new RangeError(`malformed checkpoint ${JSON.stringify(checkpoint)}`);
  }
  return {
    blockNumber: Number(checkpoint.slice(0, BLOCK_DIGITS)),
    transactionIndex: Number(checkpoint.slice(BLOCK_DIGITS, BLOCK_DIGITS + TX_INDEX_DIGITS)),
    logIndex: Number(checkpoint.slice(BLOCK_DIGITS + TX_INDEX_DIGITS)),
  };
}

/** The greatest checkpoint inside `blockNumber`: rows with a checkpoint above it belong to later blocks. */
export function blockEndCheckpoint(blockNumber: number): string {
  return encodeCheckpoint({ blockNumber, transactionIndex: MAX_TX_INDEX, logIndex: MAX_LOG_INDEX });
}

/** The smallest checkpoint inside `blockNumber`. */
export function blockStartCheckpoint(blockNumber: number): string {
  return encodeCheckpoint({ blockNumber, transactionIndex: 0, logIndex: 0 });
}
