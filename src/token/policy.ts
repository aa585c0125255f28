// When a cached token may be handed out. Artifacts answers a dead token with 403, and git
// never erases or retries after a 403 (docs/credential-flow.md, "Refresh before expiry"), so
// a token must have at least the refresh margin left when we give it to git, not merely be
// unexpired.

export interface CachedToken {
  plaintext: string;
  secret: string;
  /** Unix seconds; undefined when the server told us nothing (then never served from cache). */
  expiresAt: number | undefined;
  id?: string;
}

export function secondsLeft(token: CachedToken, nowMs: number): number {
  return token.expiresAt === undefined ? -Infinity : token.expiresAt - nowMs / 1000;
}

/** A cached token is usable only with at least `marginSeconds` of life left. */
export function usableFromCache(token: CachedToken, nowMs: number, marginSeconds: number): boolean {
  return secondsLeft(token, nowMs) >= marginSeconds;
}

/**
 * A token we just minted is handed out once even if its lifetime is below the margin (the
 * server may issue shorter tokens than asked), but never once it has expired.
 */
export function usableFresh(token: CachedToken, nowMs: number): boolean {
  return token.expiresAt === undefined || secondsLeft(token, nowMs) > 0;
}
