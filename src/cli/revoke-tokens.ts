// Revoking cached repo tokens on the server (`DELETE …/tokens/:id`), shared by logout and
// revoke: expired ones are only dropped (nothing left to revoke), a failure is retried once
// (a 404 right after a mint, a dropped connection) and then reported.
import { controlPlane, tokenPath } from '../controlplane/routes.js';
import { isArtifactsError } from '../errors.js';
import type { CacheKey } from '../token/cache.js';
import { isExpired, type CachedToken } from '../token/policy.js';
import { redact } from '../redact.js';
import type { Deps } from './deps.js';

export interface CacheEntry {
  key: CacheKey;
  token: CachedToken;
}

export type Outcome = 'revoked' | 'expired' | 'gone' | 'no id' | 'failed';

export interface Revoked {
  entry: CacheEntry;
  outcome: Outcome;
  error?: string;
}

const requestTimeoutMs = 10_000;
const retryAfterMs = 1_000;

export { isExpired };

/**
 * Revokes each entry with the API token apiTokenFor gives for its endpoint, and drops it from
 * the cache unless the server could not be told and keepFailed is set (revoke keeps it, so
 * it can be tried again; logout clears local state whatever happens).
 */
export async function revokeEntries(
  entries: readonly CacheEntry[],
  apiTokenFor: (key: CacheKey) => Promise<string>,
  deps: Pick<Deps, 'api' | 'cache' | 'now' | 'sleep'>,
  o: { keepFailed: boolean },
): Promise<Revoked[]> {
  const out: Revoked[] = [];
  for (const entry of entries) {
    const r = await revokeOne(entry, apiTokenFor, deps);
    if (r.outcome !== 'failed' || !o.keepFailed) deps.cache.remove(entry.key);
    out.push(r);
  }
  return out;
}

async function revokeOne(entry: CacheEntry, apiTokenFor: (key: CacheKey) => Promise<string>, deps: Pick<Deps, 'api' | 'now' | 'sleep'>): Promise<Revoked> {
  const { key, token } = entry;
  if (isExpired(token, deps.now())) return { entry, outcome: 'expired' };
  if (!token.id) return { entry, outcome: 'no id' };
  let lastError = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const apiToken = await apiTokenFor(key);
      const cp = controlPlane(key.apiUrl, key.account || undefined);
      await deps.api('DELETE', tokenPath(cp, key.namespace, token.id), undefined, {
        apiUrl: key.apiUrl,
        apiToken,
        deadline: deps.now() + requestTimeoutMs,
        now: deps.now,
        what: `revoke token ${token.id} of ${key.namespace}/${key.repo}`,
      });
      return { entry, outcome: 'revoked' };
    } catch (e) {
      if (!isArtifactsError(e)) throw e;
      if (e.code === 'auth.missing') return { entry, outcome: 'failed', error: e.message };
      if (e.code === 'api.not_found' && attempt === 2) return { entry, outcome: 'gone' };
      lastError = e.message;
    }
    if (attempt === 1) await deps.sleep(retryAfterMs);
  }
  return { entry, outcome: 'failed', error: lastError };
}

/** One line per token for people: what happened to it, never its secret. */
export function describeRevoked(r: Revoked): string {
  const { key, token } = r.entry;
  const what = `${key.namespace}/${key.repo} ${key.scope} token ${token.id ?? '(no id)'}`;
  switch (r.outcome) {
    case 'revoked':
      return `revoked ${what}`;
    case 'expired':
      return `dropped ${what} (already expired)`;
    case 'gone':
      return `dropped ${what} (the server no longer knows it: already revoked or expired)`;
    case 'no id':
      return `dropped ${what} (minted without an id, so it cannot be revoked; it expires on its own)`;
    case 'failed':
      return `could not revoke ${what}: ${r.error}`;
  }
}

/** One token for scripts (`revoke --json`, `logout --json`): stable keys, never its secret. */
export interface RevokedJson {
  api_url: string;
  account: string | null;
  namespace: string;
  repo: string;
  scope: string;
  id: string | null;
  outcome: 'revoked' | 'expired' | 'gone' | 'no_id' | 'failed';
  error: string | null;
}

export function revokedJson(r: Revoked): RevokedJson {
  const { key, token } = r.entry;
  return {
    api_url: key.apiUrl,
    account: key.account || null,
    namespace: key.namespace,
    repo: key.repo,
    scope: key.scope,
    id: token.id ?? null,
    outcome: r.outcome === 'no id' ? 'no_id' : r.outcome,
    // A server's words may be in it: redacted as stderr's copy is.
    error: r.error === undefined ? null : redact(r.error),
  };
}
