// Push-to-create (issue 23), the credential helper's side: a push through git-remote-artifacts
// minted for a repo the API does not know (404). With artifacts.createOnPush on (the remote
// helper records it in the operation file), create the repo and say so in one line; with it
// off, refuse and name the setting. Loaded lazily, only on that 404: obtain.ts.
import { createRepo, type CreateOutcome } from '../controlplane/repos.js';

export { untilVisible } from '../controlplane/repos.js';
import { whereText, type ControlPlane } from '../controlplane/routes.js';
import type { RequestOptions } from '../controlplane/client.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError } from '../errors.js';
import type { CreateMode } from '../operation-file.js';

export interface CreateOnPushInput {
  cp: ControlPlane;
  ref: RepoRef;
  mode: CreateMode;
  /** The mint's 404, the cause of a refusal. */
  notFound: ArtifactsError;
  request: Omit<RequestOptions, 'what' | 'apiUrl' | 'settle'>;
  /** One line for the user on stderr. */
  say: (message: string) => void;
}

/** The refusal when artifacts.createOnPush is false: what is missing, which setting kept it so, and the way on. */
export function createRefused(ref: RepoRef, cp: ControlPlane, cause?: unknown): ArtifactsError {
  const missing = `repo ${ref.namespace}/${ref.repo} does not exist ${whereText(cp)}`;
  const message = `${missing}, and git config artifacts.createOnPush is false, so this push does not create it`;
  return new ArtifactsError('api.not_found', message, {
    hint:
      'create the repo first (`wrangler artifacts repos create`), or let pushes create it: ' +
      'git config --global --unset artifacts.createOnPush (--system where your system config sets it)',
    cause,
  });
}

/**
 * Creates ref (or finds that a concurrent push just did); throws the refusal when the setting is
 * off. For both helpers: the credential helper's mint (obtain.ts) and the remote helper's
 * artifacts:// session (remote/deferred-create.ts).
 */
export async function createOnPush(input: CreateOnPushInput): Promise<CreateOutcome> {
  const { cp, ref } = input;
  if (input.mode === 'no-create') throw createRefused(ref, cp, input.notFound);
  input.request.trace?.('create.start', { namespace: ref.namespace, repo: ref.repo, why: 'a push to a repo the API does not know' });
  const outcome = await createRepo(cp, ref, input.request);
  input.request.trace?.('create.done', { namespace: ref.namespace, repo: ref.repo, created: outcome.created, remote: outcome.remote });
  // Only the push that created it says so; one that lost the race goes on quietly.
  if (outcome.created) input.say(`created ${ref.namespace}/${ref.repo}`);
  return outcome;
}
