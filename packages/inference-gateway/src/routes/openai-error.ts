import type { ProblemDetails } from '@openledger/service-kit';

/** The `error` member OpenAI clients read from a failed response (the official client shows its `message`). */
export interface OpenAIErrorBody {
  message: string;
  type: string;
  /** The problem's `reason` when it has one (`insufficient-credit`, `rate-limit`, `queue-full`, an engine code). */
  code: string | null;
  param: string | null;
}

const TYPES: Record<number, string> = {
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
};

/**
 * OpenAI's error shape for a problem: every gateway error carries it next to the problem+json members, so
 * `openai` and other OpenAI clients report the gateway's own detail instead of "402 status code (no body)".
 */
export function openaiError(problem: ProblemDetails): OpenAIErrorBody {
  const reason = typeof problem.reason === 'string' ? problem.reason : null;
  const firstError = Array.isArray(problem.errors) ? (problem.errors[0] as { path?: unknown } | undefined) : undefined;
  return {
    message: problem.detail,
    type: TYPES[problem.status] ?? (problem.status >= 500 ? 'server_error' : 'invalid_request_error'),
    code: reason,
    // OpenAI names the body field ("max_tokens", "messages.0.content"), not the validation path
    param: typeof firstError?.path === 'string' ? firstError.path.replace(/^body\/?/, '').replaceAll('/', '.') || null : null,
  };
}
