/** Typed engine errors; `code` crosses the process boundary and maps to a problem+json status in the gateway. */
export type EngineErrorCode =
  | 'adapter_hash_mismatch'
  | 'adapter_fetch_failed'
  | 'adapter_load_failed'
  | 'adapter_quarantined'
  | 'invalid_request'
  | 'engine_crashed'
  | 'engine_unavailable'
  | 'cancelled'
  | 'timeout'
  | 'upstream_error';

export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export const isEngineError = (e: unknown): e is EngineError => e instanceof EngineError;

export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof Error && e.name === 'AbortError') return new EngineError('cancelled', 'request cancelled');
  return new EngineError('adapter_load_failed', e instanceof Error ? e.message : String(e));
}
