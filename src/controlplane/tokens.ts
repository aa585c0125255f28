// POST /tokens (docs/git-and-artifacts-behaviour.md, "REST routes"): always an explicit
// scope (the server default is write), a TTL clamped to the documented range, and the expiry
// taken from what the server returned, never from the TTL we asked for.
import { hasForbiddenChar } from '../forbidden-char.js';
import { ArtifactsError } from '../errors.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import type { CachedToken } from '../token/policy.js';
import { clampTtl, type Scope } from '../token/settings.js';
import { parseToken } from '../token/token.js';
import { apiRequest, type RequestOptions } from './client.js';
import { tokensPath, whereText, type ControlPlane } from './routes.js';

export async function mintRepoToken(
  cp: ControlPlane,
  ref: RepoRef,
  scope: Scope,
  ttl: number,
  options: Omit<RequestOptions, 'what' | 'apiUrl'>,
): Promise<CachedToken> {
  const what = `mint a ${scope} token for ${ref.namespace}/${ref.repo} ${whereText(cp)}`;
  const body = { repo: ref.repo, scope, ttl: clampTtl(ttl) };
  const result = await apiRequest('POST', tokensPath(cp, ref.namespace), body, { ...options, apiUrl: cp.apiUrl, what, shape: cp.shape });
  if (typeof result !== 'object' || result === null || typeof (result as { plaintext?: unknown }).plaintext !== 'string') {
    throw new ArtifactsError('api.invalid_response', `could not ${what}: the answer has no token`);
  }
  const r = result as { plaintext: string; expires_at?: unknown; id?: unknown; scope?: unknown };
  if (r.scope !== undefined && r.scope !== scope) {
    throw new ArtifactsError('api.invalid_response', `could not ${what}: the API returned a ${String(r.scope)} token`);
  }
  // A server's string goes into our answer to git: one with CR, LF or NUL could add lines.
  if (hasForbiddenChar(r.plaintext) || (typeof r.id === 'string' && hasForbiddenChar(r.id))) {
    throw new ArtifactsError('api.invalid_response', `could not ${what}: the answer holds control characters`);
  }
  const token = parseToken(r.plaintext, r.expires_at);
  if (!token.secret) throw new ArtifactsError('api.invalid_response', `could not ${what}: the answer has an empty token`);
  return { ...token, ...(typeof r.id === 'string' ? { id: r.id } : {}) };
}
