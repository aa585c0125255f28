// When a cached token may be handed out. Artifacts answers a dead token with 403, and git
// never erases or retries after a 403 (docs/credential-flow.md, "Refresh before expiry"), so
// a token must have at least the refresh margin left when we give it to git, not merely be
// unexpired.
//
// Refresh jitter: a fleet configured at once mints at once, so its tokens expire together and
// every machine would re-mint in the same second (the control plane allows 2,000 requests per
// 10 s per namespace: docs/git-and-artifacts-behaviour.md). Each token therefore refreshes a
// little earlier than the margin says, by its own deterministic share of up to
// `refreshJitter` of it. The share comes from the token's id (or, lacking one, its secret),
// not from the cache key: every machine of a fleet has the same key, but each minted its own
// token. Deterministic, so every `get` of one machine agrees about one token.
import { sha256Hex } from '../sha256.js';

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

/** The most a token's margin is widened by: 10 % (300 s become 300-330 s). */
export const refreshJitter = 0.1;

/** The share of `refreshJitter` for this token, in [0, 1): 32 bits of a hash of its id. */
export function jitterShare(token: Pick<CachedToken, 'id' | 'secret'>): number {
  return parseInt(sha256Hex(`refresh-jitter\0${token.id ?? token.secret}`).slice(0, 8), 16) / 2 ** 32;
}

/** The margin for this token: the configured one, widened by its own share of the jitter. */
export function refreshMarginFor(token: Pick<CachedToken, 'id' | 'secret'>, marginSeconds: number): number {
  return marginSeconds * (1 + refreshJitter * jitterShare(token));
}

/** A cached token is usable only with at least its (jittered) margin of life left. */
export function usableFromCache(token: CachedToken, nowMs: number, marginSeconds: number): boolean {
  return secondsLeft(token, nowMs) >= refreshMarginFor(token, marginSeconds);
}

/**
 * A token we just minted is handed out once even if its lifetime is below the margin (the
 * server may issue shorter tokens than asked), but never once it has expired.
 */
export function usableFresh(token: CachedToken, nowMs: number): boolean {
  return token.expiresAt === undefined || secondsLeft(token, nowMs) > 0;
}

/** Past its expiry (a token without one never is). */
export function isExpired(token: CachedToken, nowMs: number): boolean {
  return token.expiresAt !== undefined && token.expiresAt * 1000 <= nowMs;
}
