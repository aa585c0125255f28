// The cached half of a `get`: from a request we own and the scope to the cache key, and the
// cached token if it is still good for git (above its jittered refresh margin). Pure but for
// one cache read. Shared by the credential helper (src/credential/main.ts) and by
// git-remote-artifacts, which answers its own child from the same cache without starting a
// helper process (src/remote/session-helper.ts).
import type { TokenCache, CacheKey } from '../token/cache.js';
import { usableFromCache, type CachedToken } from '../token/policy.js';
import type { Scope } from '../token/settings.js';
import type { Decision } from './request.js';

export type OursDecision = Extract<Decision, { kind: 'ours' }>;

export type CachedAnswer = { kind: 'hit'; key: CacheKey; token: CachedToken } | { kind: 'miss'; key: CacheKey; reason: string };

/** The key for a request: the origin is part of every key, so a token answers only its own origin. */
export function cacheKeyFor(decision: OursDecision, apiUrl: string, scope: Scope): CacheKey {
  const origin = `${decision.protocol}://${decision.host.toLowerCase()}`;
  return { origin, apiUrl, account: decision.owned.account ?? '', ...decision.ref, scope };
}

export function cachedAnswer(cache: TokenCache, key: CacheKey, nowMs: number, refreshMargin: number): CachedAnswer {
  const token = cache.read(key);
  if (token && usableFromCache(token, nowMs, refreshMargin)) return { kind: 'hit', key, token };
  return { kind: 'miss', key, reason: token ? 'below refresh margin' : 'no entry' };
}
