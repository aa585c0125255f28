// With a repository: what git would really get. Mints a 60 s read token, runs `git ls-remote`
// with it (handed over by a one-off helper reading it from the environment, never argv), and
// revokes it; then whether a write token could be minted (revoked at once).
import path from 'node:path';
import type { RequestOptions } from '../controlplane/client.js';
import { controlPlane, tokenPath, type ControlPlane } from '../controlplane/routes.js';
import { apiShape } from '../endpoint/api-shape.js';
import { mintRepoToken } from '../controlplane/tokens.js';
import { cloudflareGitAccount } from '../endpoint/endpoint.js';
import { parseRepoPath, type RepoRef } from '../endpoint/repo-path.js';
import { errorText, isArtifactsError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { fail, ok, warn, type Check } from './check.js';
import { apiTimeoutMs, type DoctorDeps } from './gather.js';
import type { Configured } from './origins.js';
import { parseUrl, type ParsedUrl } from './urlmatch.js';

const probeTtl = 60;
const probeEnv = 'ARTIFACTS_DOCTOR_PROBE_TOKEN';
const lsRemoteTimeoutMs = 30_000;
const lsRemoteFix = 'check the URL against the repository\'s remote in the API; run with GIT_TRACE_CURL=1 to see the answer';
const writeFix = 'give the API token "Artifacts Edit", or check that the repository is not read-only';

interface ProbeTarget {
  u: ParsedUrl;
  ref: RepoRef;
  cp: ControlPlane;
}

/** The repository url names and the control plane that mints for it, or the repo failure. Pure. */
export function probeTarget(c: Configured, url: string): ProbeTarget | Check {
  const shape = apiShape(c.apiUrl);
  const u = parseUrl(url);
  const ref = u ? parseRepoPath(decodeURIComponent(u.path.replace(/^\/+/, '')), shape) : undefined;
  if (!u || !ref) return fail('repo', `${url} is not an Artifacts repository URL (${shape === 'account' ? 'https://<host>/git/<namespace>/<repo>.git' : 'https://<host>/<namespace>/<repo>.git'})`, 'pass the remote URL the dashboard or the API gave for the repository');
  // On Cloudflare the account is the host's first label; configure may not have been given one.
  const account = c.account ?? cloudflareGitAccount(u.host);
  if (shape === 'account' && !account) return fail('repo', `no account for ${url}: cannot mint a probe token`, 'configure with --account <ACCOUNT_ID>');
  return { u, ref, cp: controlPlane(c.apiUrl, account) };
}

/** `git ls-remote url` with secret as its only credential. */
async function lsRemote(deps: DoctorDeps, u: ParsedUrl, url: string, secret: string): Promise<Check> {
  const helper = `!f() { test "$1" = get && printf 'username=x\\npassword=%s\\n' "$${probeEnv}"; }; f`;
  // The one-off helper answers for this URL's origin only (credential.<url>.helper, git's
  // urlmatch), and git runs outside the repository doctor was started in: a hostile clone's
  // url.<x>.insteadOf, http.proxy or redirect must not carry the read token elsewhere.
  const origin = `${u.scheme}://${u.host}${u.port && u.port !== ({ http: '80', https: '443' } as Record<string, string>)[u.scheme] ? `:${u.port}` : ''}`;
  const config = ['-c', 'credential.helper=', '-c', `credential.${origin}.helper=${helper}`, '-c', 'credential.useHttpPath=true'];
  const r = await deps.run(['git', ...config, 'ls-remote', url], {
    env: { ...deps.io.env, [probeEnv]: secret, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', GIT_DIR: undefined, GIT_WORK_TREE: undefined },
    cwd: path.parse(deps.io.cwd).root,
    timeoutMs: lsRemoteTimeoutMs,
    label: `git ls-remote ${url}`,
  }).catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: errorText(e) }));
  if (r.exitCode === 0) {
    return ok('repo-read', `git ls-remote ${url} works with a freshly minted read token (${r.stdout.split('\n').filter(Boolean).length} refs)`);
  }
  const why = r.stderr.trim().split('\n').pop()?.slice(0, 300) ?? '';
  return fail('repo-read', `git ls-remote ${url} fails with a freshly minted read token: ${why}`, lsRemoteFix);
}

type MintOptions = Omit<RequestOptions, 'what' | 'apiUrl'>;

export async function permissionProbe(deps: DoctorDeps, c: Configured, apiToken: string, url: string): Promise<Check[]> {
  const t = probeTarget(c, url);
  if ('id' in t) return [t];
  const { cp, ref } = t;
  // Sent as doctor's other API calls are (deps.http), on the clock their deadline is read on.
  const options: MintOptions = { apiToken, deadline: deps.now() + apiTimeoutMs, now: deps.now, transport: deps.http };
  const revoke = async (id: string | undefined): Promise<void> => {
    if (!id) return;
    const o = { ...options, apiUrl: cp.apiUrl, what: 'revoke the probe token', shape: cp.shape };
    await deps.api('DELETE', tokenPath(cp, ref.namespace, id), undefined, o).catch(() => undefined);
  };
  const name = `${ref.namespace}/${ref.repo}`;
  let read;
  try {
    read = await mintRepoToken(cp, ref, 'read', probeTtl, options);
    rememberSecret(read.secret);
  } catch (e) {
    return [fail('repo-read', `cannot mint a read token for ${name}: ${errorText(e)}`, isArtifactsError(e) ? e.hint : undefined)];
  }
  const checks: Check[] = [];
  try {
    checks.push(await lsRemote(deps, t.u, url, read.secret));
  } finally {
    await revoke(read.id);
  }
  try {
    const write = await mintRepoToken(cp, ref, 'write', probeTtl, options);
    rememberSecret(write.secret);
    await revoke(write.id);
    checks.push(ok('repo-write', `a write token for ${name} can be minted (pushes can work)`));
  } catch (e) {
    checks.push(warn('repo-write', `no write token for ${name}: ${errorText(e)}; clone and fetch work, pushes will not`, writeFix));
  }
  return checks;
}
