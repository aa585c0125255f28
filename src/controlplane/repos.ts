// POST /repos (docs/git-and-artifacts-behaviour.md, "REST routes"): create a repo by name, for
// a push to a repo that does not exist yet (issue 23). 409 ALREADY_EXISTS (code 10201) is an
// answer, not a failure: a concurrent push created it a moment earlier, and the caller goes on
// as if it had. The answer's own write token is not kept: the caller mints as always, so the
// token cache, its lock and its TTLs stay the one place tokens come from.
import { ArtifactsError, isArtifactsError } from '../errors.js';
import { repoRule, type RepoRef } from '../endpoint/repo-path.js';
import { rememberSecret } from '../redact.js';
import { apiRequest, describeApiErrors, type ApiError, type RequestOptions } from './client.js';
import { namespacePath, whereText, type ControlPlane } from './routes.js';

/** The documented error codes a create may answer with (docs/git-and-artifacts-behaviour.md, "Error codes"). */
export const alreadyExistsCode = 10201;
export const invalidRepoNameCode = 10101;

/** created: false when the repo existed already (409 ALREADY_EXISTS); remote: the answer's `remote`, when it gave one. */
export interface CreateOutcome {
  created: boolean;
  remote: string | undefined;
}

/** POST: create a repo in a namespace. */
export function reposPath(cp: ControlPlane, namespace: string): string {
  return `${namespacePath(cp, namespace)}/repos`;
}

/** What a failure answer to a create means for us; pure. */
export function createSettlement(ref: RepoRef, what: string, status: number, errors: ApiError[]): { value: unknown } | undefined {
  if (status === 409 && errors.some((e) => e.code === alreadyExistsCode)) return { value: { existed: true } };
  if (status === 400 && errors.some((e) => e.code === invalidRepoNameCode)) {
    throw new ArtifactsError('remote.invalid', `could not ${what}: the API refused the name ${JSON.stringify(ref.repo)} (${describeApiErrors(errors)})`, {
      hint: `${repoRule}; push to a repo name that follows it`,
    });
  }
  return undefined;
}

export async function createRepo(cp: ControlPlane, ref: RepoRef, options: Omit<RequestOptions, 'what' | 'apiUrl' | 'settle'>): Promise<CreateOutcome> {
  const what = `create repo ${ref.namespace}/${ref.repo} ${whereText(cp)}`;
  const settle = (status: number, errors: ApiError[]) => createSettlement(ref, what, status, errors);
  let result: unknown;
  try {
    result = await apiRequest('POST', reposPath(cp, ref.namespace), { name: ref.repo }, { ...options, apiUrl: cp.apiUrl, what, shape: cp.shape, settle });
  } catch (e) {
    throw isArtifactsError(e) && e.code === 'auth.rejected' ? new ArtifactsError(e.code, e.message, { hint: createRefusedHint(cp, ref) }) : e;
  }
  const r = (typeof result === 'object' && result !== null ? result : {}) as { existed?: unknown; remote?: unknown; token?: unknown };
  // A token we do not keep is still a secret: never shown, should anything echo it.
  if (typeof r.token === 'string') rememberSecret(r.token);
  return { created: r.existed !== true, remote: typeof r.remote === 'string' ? r.remote : undefined };
}

/** A refused create: the right it takes, and the way out that needs no such right. */
export function createRefusedHint(cp: ControlPlane, ref: RepoRef): string {
  const right = cp.shape === 'account'
    ? `creating a repo needs an API token with the "Artifacts Edit" permission on account ${cp.account}`
    : `creating a repo needs a gateway JWT (ARTIFACTS_JWT, else the login for ${cp.apiUrl}) that may create repos in namespace ${ref.namespace}`;
  return `${right}; or have the repo created by someone who may, and push again (git config --global artifacts.createOnPush false stops pushes from trying)`;
}

/**
 * Runs attempt until it stops answering 404, within deadline: after a 409 ALREADY_EXISTS the
 * other push's repo may not be visible yet (its create is still under way), so its GET or mint
 * answers 404 for a moment. Backoff 100 ms, doubling to 1.6 s; the last 404 is the answer.
 */
export async function untilVisible<T>(attempt: () => Promise<T>, deadline: number, now: () => number = Date.now): Promise<T> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 1600)) {
    try {
      return await attempt();
    } catch (e) {
      if (!isArtifactsError(e) || e.code !== 'api.not_found' || now() + delay >= deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
