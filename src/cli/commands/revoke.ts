// `revoke [<namespace>/<repo>] [--scope read|write] [--all]`: revoke cached repo tokens on the
// server and drop them locally (a token that may have leaked, a machine being handed over).
// A token the server could not be told about stays cached, so the command can be run again.
import { controlPlaneToken } from '../../auth/api-token.js';
import { controlPlane } from '../../controlplane/routes.js';
import { quoteName, repoRefProblem } from '../../endpoint/repo-path.js';
import { ArtifactsError } from '../../errors.js';
import { credentialTool } from '../../names.js';
import { say } from '../../report.js';
import type { Deps } from '../deps.js';
import { describeRevoked, revokeEntries } from '../revoke-tokens.js';

export interface RevokeOptions {
  scope?: string;
  all?: boolean;
}

const tool = credentialTool;
const mintTimeoutMs = 10_000;

export async function revoke(repo: string | undefined, o: RevokeOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  if (o.scope !== undefined && o.scope !== 'read' && o.scope !== 'write') {
    throw new ArtifactsError('usage', `--scope must be read or write, got ${JSON.stringify(o.scope)}`);
  }
  if ((repo === undefined) === (o.all !== true)) {
    throw new ArtifactsError('usage', repo === undefined ? 'name a repo (<namespace>/<repo>) or pass --all' : 'give a repo or --all, not both', {
      hint: 'e.g. `git-credential-artifacts revoke default/my-repo`, or `revoke --all` before handing the machine over',
    });
  }
  const ref = repo === undefined ? undefined : parseRepoArg(repo);
  const entries = deps.cache
    .list()
    .filter((e) => !ref || (e.key.namespace === ref.namespace && e.key.repo === ref.repo))
    .filter((e) => o.scope === undefined || e.key.scope === o.scope);
  if (entries.length === 0) {
    io.stdout.write(`no cached tokens${ref ? ` for ${ref.namespace}/${ref.repo}` : ''}${o.scope ? ` with scope ${o.scope}` : ''}; nothing to revoke\n`);
    return 0;
  }
  const results = await revokeEntries(
    entries,
    (key) => controlPlaneToken(controlPlane(key.apiUrl, key.account || undefined), io.env, deps.now() + mintTimeoutMs, undefined, deps.now),
    deps,
    { keepFailed: true },
  );
  let failed = 0;
  for (const r of results) {
    if (r.outcome === 'failed') {
      failed++;
      say(tool, io.stderr, describeRevoked(r));
    } else io.stdout.write(`${describeRevoked(r)}\n`);
  }
  if (failed) say(tool, io.stderr, 'hint: the tokens that could not be revoked are still cached; run revoke again when the API is reachable');
  return failed ? 1 : 0;
}

function parseRepoArg(arg: string): { namespace: string; repo: string } {
  // Two different mistakes: not the shape <namespace>/<repo> at all, or the shape with a name the rules refuse.
  const m = /^([^/]+)\/([^/]+?)(\.git)?$/.exec(arg);
  if (!m) throw new ArtifactsError('usage', `${quoteName(arg)} is not <namespace>/<repo>`, { hint: 'e.g. default/my-repo' });
  const problem = repoRefProblem(m[1]!, m[2]!);
  if (problem) throw new ArtifactsError('usage', problem, { hint: 'name the repo as `git remote -v` shows it, e.g. default/my-repo' });
  return { namespace: m[1]!, repo: m[2]! };
}
