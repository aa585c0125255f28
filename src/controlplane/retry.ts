// Which control-plane failures are worth another attempt, and after how long (pure).
// 409 *_IN_PROGRESS: back off; 429: honour Retry-After; 5xx and network errors: a few tries
// with jitter (docs/git-and-artifacts-behaviour.md, "Errors and retries"). Everything else is
// final.

export interface Failure {
  /** HTTP status, or undefined for a network error or timeout of one attempt. */
  status: number | undefined;
  retryAfter?: string | null;
}

export const maxAttempts = 5;

/** Parses Retry-After: delta seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * Delay before the next attempt (ms), or undefined when the failure is final.
 * attempt: 1 for the first attempt that failed. random: [0, 1) for jitter.
 */
export function retryDelay(failure: Failure, attempt: number, nowMs: number, random: number): number | undefined {
  if (attempt >= maxAttempts) return undefined;
  const backoff = Math.min(4000, 250 * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + (backoff / 2) * random);
  const { status } = failure;
  if (status === undefined || status >= 500) return jittered;
  if (status === 409) return jittered;
  if (status === 429) return parseRetryAfter(failure.retryAfter, nowMs) ?? jittered * 2;
  return undefined;
}
