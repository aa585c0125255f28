// `revoke [<namespace>/<repo>] [--scope read|write] [--all]`: revoke cached repo tokens on the
// server and drop them locally (a token that may have leaked, a machine being handed over).
// A token the server could not be told about stays cached, so the command can be run again.
import { controlPlaneToken } from '../../auth/api-token.js';
import { controlPlane } from '../../controlplane/routes.js';
import { ArtifactsError } from '../../errors.js';
import { credentialTool } from '../../names.js';
import { say } from '../../report.js';
import type { CacheKey } from '../../token/cache.js';
import type { Deps } from '../deps.js';
import { parseRepoArg } from '../repo-arg.js';
import { describeRevoked, revokedJson, revokeEntries } from '../revoke-tokens.js';
import { whileSlow } from '../slow-notice.js';

export interface RevokeOptions {
  scope?: string;
  all?: boolean;
  json?: boolean;
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
    if (o.json) io.stdout.write(`${JSON.stringify({ tokens: [] }, null, 2)}\n`);
    else io.stdout.write(`no cached tokens${ref ? ` for ${ref.namespace}/${ref.repo}` : ''}${o.scope ? ` with scope ${o.scope}` : ''}; nothing to revoke\n`);
    return 0;
  }
  const apiTokenFor = (key: CacheKey) =>
    controlPlaneToken(controlPlane(key.apiUrl, key.account || undefined), io.env, deps.now() + mintTimeoutMs, undefined, deps.now);
  const n = entries.length;
  const notice = `revoking ${n} cached token${n === 1 ? '' : 's'} on the server...`;
  const results = await whileSlow(io.stderr, notice, () => revokeEntries(entries, apiTokenFor, deps, { keepFailed: true }));
  let failed = 0;
  for (const r of results) {
    if (r.outcome === 'failed') {
      failed++;
      say(tool, io.stderr, describeRevoked(r));
    } else if (!o.json) io.stdout.write(`${describeRevoked(r)}\n`);
  }
  if (o.json) io.stdout.write(`${JSON.stringify({ tokens: results.map(revokedJson) }, null, 2)}\n`);
  if (failed) say(tool, io.stderr, 'hint: the tokens that could not be revoked are still cached; run revoke again when the API is reachable');
  return failed ? 1 : 0;
}
