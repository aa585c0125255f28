// One error type for everything we expect to go wrong. `code` is a stable string for tests and
// scripts; `hint` says what to do next. report.ts is the only place that renders it.

export type ErrorCode =
  | 'usage'
  | 'input.invalid'
  | 'config.invalid'
  | 'auth.missing'
  | 'auth.rejected'
  | 'api.not_found'
  | 'api.conflict'
  | 'api.rate_limited'
  | 'api.unavailable'
  | 'api.invalid_response'
  | 'api.timeout'
  | 'cache.unsafe'
  | 'cache.io'
  | 'lock.timeout'
  | 'store.unavailable'
  | 'git.failed'
  | 'process.failed'
  | 'process.timeout'
  | 'emulator.listen'
  | 'interrupted'
  | 'remote.invalid'
  | 'remote.unregistered'
  | 'internal';

/** Exit codes: 0 ok, 1 operational failure, 2 usage or bad input, 130 interrupted (128 + SIGINT, as shells report Ctrl-C). */
const exitCodes: Partial<Record<ErrorCode, number>> = { usage: 2, 'input.invalid': 2, 'config.invalid': 2, interrupted: 130 };

export class ArtifactsError extends Error {
  override readonly name = 'ArtifactsError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): number {
    return exitCodes[this.code] ?? 1;
  }
}

export function isArtifactsError(e: unknown): e is ArtifactsError {
  return e instanceof ArtifactsError;
}

/** An error's words for a message that goes on: ours as written (its hint said elsewhere), anything else as String() gives it. */
export function errorText(e: unknown): string {
  return isArtifactsError(e) ? e.message : String(e);
}
