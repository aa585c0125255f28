// artifacts://<namespace>/<repo> -> the repo's git remote, from GET /repos/:name `remote` of
// the configured API, account-scoped (needs an account) or namespace-scoped (needs none)
// (docs/git-and-artifacts-behaviour.md, "Git remote URLs": use `remote` verbatim, never
// assemble it), cached per repo for an hour. Only the cold path needs the API token.
import { controlPlaneToken } from '../auth/api-token.js';
import { apiRequest } from '../controlplane/client.js';
import { controlPlane, repoPath, whereText, type ControlPlane } from '../controlplane/routes.js';
import { apiShape } from '../endpoint/api-shape.js';
import { parseApiUrl } from '../endpoint/endpoint.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError, isArtifactsError } from '../errors.js';
import { tokenCacheDir } from '../paths.js';
import { resolveSettings } from '../token/settings.js';
import type { Trace } from '../trace.js';
import { RemoteCache, type RemoteKey } from './remote-cache.js';
import type { RemoteSettings } from './git-config.js';
import { parseRemoteUrl } from './url.js';

export interface ResolveOptions {
  ref: RepoRef;
  settings: RemoteSettings;
  env: NodeJS.ProcessEnv;
  now: () => number;
  trace: Trace;
  /** Throws when the answered remote may not be used (the origin check): a refused answer is never cached. */
  accepts?: (remote: string) => void;
}

function needAccount(ref: RepoRef): ArtifactsError {
  return new ArtifactsError('config.invalid', `artifacts://${ref.namespace}/${ref.repo} needs an account id, and none is set`, {
    hint:
      'set CLOUDFLARE_ACCOUNT_ID, or run `git config --global artifacts.account <ACCOUNT_ID>` ' +
      '(`git-credential-artifacts configure --account <ACCOUNT_ID>` does this)',
  });
}

/** Where ref's control plane is, and its cache entry (needs an account for the account-scoped API). */
export function lookupOf(o: Pick<ResolveOptions, 'ref' | 'settings' | 'env'>): { apiUrl: string; cp: ControlPlane; key: RemoteKey; cache: RemoteCache } {
  const { ref, settings } = o;
  const apiUrl = parseApiUrl(settings.apiUrl.value);
  const shape = apiShape(apiUrl);
  if (shape === 'account' && !settings.account) throw needAccount(ref);
  const cp = controlPlane(apiUrl, shape === 'account' ? settings.account!.value : undefined);
  const key: RemoteKey = { apiUrl, account: cp.shape === 'account' ? cp.account : '', ...ref };
  return { apiUrl, cp, key, cache: new RemoteCache(`${tokenCacheDir(o.env)}/remotes`) };
}

/** The https (or loopback http) remote URL of ref. */
export async function resolveRemote(o: ResolveOptions): Promise<string> {
  const { ref, trace } = o;
  const { apiUrl, cp, key, cache } = lookupOf(o);
  const cached = cache.read(key, o.now());
  if (cached) {
    trace('resolve.cache-hit', { namespace: ref.namespace, repo: ref.repo, remote: cached });
    return cached;
  }
  const deadline = o.now() + resolveSettings(new Map(), o.env).timeoutMs;
  const apiToken = await controlPlaneToken(cp, o.env, deadline, trace, o.now);
  const what = `look up repo ${ref.namespace}/${ref.repo} ${whereText(cp)}`;
  let result: unknown;
  try {
    result = await apiRequest('GET', repoPath(cp, ref), undefined, { apiUrl, apiToken, deadline, trace, what, shape: cp.shape });
  } catch (e) {
    if (isArtifactsError(e) && e.code === 'api.not_found') throw notFound(ref, cp);
    throw e;
  }
  const remote = (result as { remote?: unknown } | null)?.remote;
  if (typeof remote !== 'string' || !isUsableRemote(remote)) {
    throw new ArtifactsError('api.invalid_response', `could not ${what}: the answer has no usable "remote" URL`);
  }
  trace('resolve.api', { namespace: ref.namespace, repo: ref.repo, remote });
  o.accepts?.(remote);
  cache.write(key, remote, o.now());
  return remote;
}

function notFound(ref: RepoRef, cp: ControlPlane): ArtifactsError {
  const hint = cp.shape === 'account'
    ? `check the namespace and repo name (\`wrangler artifacts repos list --namespace ${ref.namespace}\`) ` +
      'and the account (CLOUDFLARE_ACCOUNT_ID or git config artifacts.account)'
    : `check the namespace and repo name, and that git config artifacts.apiUrl (${cp.apiUrl}) is the deployment that holds the repo`;
  return new ArtifactsError('api.not_found', `repo ${ref.namespace}/${ref.repo} not found ${whereText(cp)}`, { hint });
}

export function isUsableRemote(remote: string): boolean {
  try {
    return parseRemoteUrl(remote).kind === 'direct';
  } catch {
    return false;
  }
}
