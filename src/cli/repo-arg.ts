// A `<namespace>/<repo>` argument (revoke, token): one parser, so both commands refuse the same
// input with the same words.
import { quoteName, repoRefProblem, type RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError } from '../errors.js';

export function parseRepoArg(arg: string): RepoRef {
  // Two different mistakes: not the shape <namespace>/<repo> at all, or the shape with a name the rules refuse.
  const m = /^([^/]+)\/([^/]+?)(\.git)?$/.exec(arg);
  if (!m) throw new ArtifactsError('usage', `${quoteName(arg)} is not <namespace>/<repo>`, { hint: 'e.g. default/my-repo' });
  const problem = repoRefProblem(m[1]!, m[2]!);
  if (problem) throw new ArtifactsError('usage', problem, { hint: 'name the repo as `git remote -v` shows it, e.g. default/my-repo' });
  return { namespace: m[1]!, repo: m[2]! };
}
