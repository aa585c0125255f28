// `doctor [--json] [<remote-or-url>]`: why git says "Authentication failed" or prompts, and
// what to run, in the spirit of Git Credential Manager's `diagnose`
// (https://github.com/git-ecosystem/git-credential-manager/blob/main/docs/usage.md#diagnose).
// It gathers facts here (git's own config and version, files, the API) and judges them with the
// pure checks in src/doctor/. Exit 0 when nothing fails (warnings included), 1 otherwise;
// --json prints one JSON document whatever happens.
import { existsSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chainFor, describeApiTokenSource, findToken } from '../../auth/api-token.js';
import { run } from '../../child-process.js';
import { controlPlane, tokenPath } from '../../controlplane/routes.js';
import { apiShape } from '../../endpoint/api-shape.js';
import { httpRequest, type HttpAnswer } from '../../controlplane/http-request.js';
import { mintRepoToken } from '../../controlplane/tokens.js';
import { parseRepoPath } from '../../endpoint/repo-path.js';
import { cloudflareApiUrl, cloudflareGitAccount } from '../../endpoint/endpoint.js';
import { isArtifactsError } from '../../errors.js';
import { selfCommand } from '../../self.js';
import { tokenCacheDir } from '../../paths.js';
import { printable, redact, rememberSecret } from '../../redact.js';
import { credentialTool, remoteTool } from '../../names.js';
import { fail, ok, warn, type Check } from '../../doctor/check.js';
import { parseConfigList, type ConfigEntry } from '../../doctor/config-list.js';
import { checkCacheDir, checkClockSkew, checkGitVersion, checkHelperCurrent, checkHelperPaths, checkRemoteHelper, checkTokenSource, helperPaths } from '../../doctor/facts.js';
import { checkExtraHeader, checkHelperChain, checkPushRouting, helperChain, isOurHelper } from '../../doctor/helper-chain.js';
import { parseUrl, urlMatches } from '../../doctor/urlmatch.js';
import { cachedTokenChecks } from '../../doctor/cached-tokens.js';
import type { Deps } from '../deps.js';
import { parseHelperCommand } from '../../gitconfig/helper-command.js';
import { flagsOf, helperFlagValues } from '../../credential/args.js';

export interface DoctorOptions {
  json?: boolean;
}

const gitTimeoutMs = 10_000;
const apiTimeoutMs = 10_000;
const apiMaxBodyBytes = 1 << 20;

/** An origin configure set up: the credential URL of one of our helper entries, and what its helper command says. */
interface Configured {
  pattern: string;
  helper: string;
  apiUrl: string;
  account: string | undefined;
}

/** `--api-url X` and `--account Y` in our helper command, read back as the words sh will pass and parsed as the helper parses them. */
function helperFlags(value: string): { apiUrl?: string; account?: string } {
  try {
    const { values } = helperFlagValues(flagsOf(parseHelperCommand(value) ?? []));
    return { apiUrl: values.get('--api-url'), account: values.get('--account') };
  } catch {
    return {};
  }
}

/**
 * The user's own config: a cloned repository's .git/config (scope local or worktree) or a `-c`
 * (command) is hostile and must not name an origin or API URL doctor sends a credential to
 * (docs/credential-flow.md, "Origin policy").
 */
const trustedScope = (e: ConfigEntry): boolean => e.scope === 'global' || e.scope === 'system';

function configuredOrigins(entries: readonly ConfigEntry[]): Configured[] {
  const seen = new Map<string, Configured>();
  for (const e of entries) {
    if (!trustedScope(e) || e.section !== 'credential' || e.name !== 'helper' || e.subsection === undefined || !isOurHelper(e.value ?? '')) continue;
    const flags = helperFlags(e.value!);
    const account = flags.account ?? entries.filter((x) => trustedScope(x) && x.section === 'artifacts' && x.name === 'account').pop()?.value;
    seen.set(e.subsection, { pattern: e.subsection, helper: e.value!, apiUrl: flags.apiUrl ?? cloudflareApiUrl, account });
  }
  return [...seen.values()];
}

/** A URL git would ask about for pattern: `*` filled with the account (or a placeholder one). */
function sampleUrl(c: Configured): string {
  const host = c.pattern.replace('*', c.account ?? '0'.repeat(32)).replace(/\/+$/, '');
  // The repo path form of the API's shape (docs/git-and-artifacts-behaviour.md): git/<ns>/<repo> or <ns>/<repo>.
  return `${host}/${apiShape(c.apiUrl) === 'namespace' ? '' : 'git/'}default/example.git`;
}

async function git(deps: Deps, args: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string } | undefined> {
  try {
    const r = await run(['git', ...args], { env: { ...deps.io.env, ...o.env }, cwd: o.cwd ?? deps.io.cwd, timeoutMs: gitTimeoutMs, maxOutputBytes: 8 << 20 });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  } catch {
    return undefined;
  }
}

/** Resolves a remote name (or an artifacts:: URL) to the https URL git authenticates against. */
async function targetUrl(deps: Deps, arg: string): Promise<string | undefined> {
  const url = arg.replace(/^artifacts::/, '');
  if (url.includes('://')) return namedRemote(deps, url);
  const r = await git(deps, ['remote', 'get-url', '--push', arg]);
  return r?.code === 0 ? namedRemote(deps, r.stdout.trim().replace(/^artifacts::/, '')) : undefined;
}

/**
 * `artifacts://<namespace>/<repo>` (a clone made with one: issue 21) is not what git
 * authenticates against: the https remote the configured API names for it is, found as
 * git-remote-artifacts finds it (its trusted config, its cache, else the API). Any other URL as is.
 */
async function namedRemote(deps: Deps, url: string): Promise<string> {
  if (!/^artifacts:\/\//i.test(url)) return url;
  const { parseRemoteUrl } = await import('../../remote/url.js');
  const parsed = parseRemoteUrl(url);
  if (parsed.kind !== 'named') return url;
  const { readArtifactsConfig, remoteSettings } = await import('../../remote/git-config.js');
  const { resolveRemote } = await import('../../remote/resolve.js');
  const { trusted } = await readArtifactsConfig(deps.io.env, deps.io.cwd);
  const remote = await resolveRemote({ ref: parsed, settings: remoteSettings(deps.io.env, trusted), env: deps.io.env, now: deps.now, trace: () => {} });
  return parseRemoteUrl(remote).kind === 'direct' ? remote : url;
}

/** Where git would find git-remote-artifacts: its exec-path first, then PATH (git(1), "--exec-path"). */
async function findRemoteHelper(deps: Deps): Promise<string | undefined> {
  const execPath = (await git(deps, ['--exec-path']))?.stdout.trim();
  const dirs = [execPath, ...(deps.io.env.PATH ?? '').split(path.delimiter)].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const file = path.join(dir, remoteTool);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function cacheDirCheck(env: NodeJS.ProcessEnv): Check {
  const dir = tokenCacheDir(env);
  try {
    const s = lstatSync(dir);
    return checkCacheDir({ path: dir, uid: process.getuid?.(), stat: { isSymbolicLink: s.isSymbolicLink(), isDirectory: s.isDirectory(), uid: s.uid, mode: s.mode } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return checkCacheDir({ path: dir, uid: undefined });
    return fail('cache-dir', `cannot look at ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, `check the permissions of ${path.dirname(dir)}`);
  }
}

/** Where `login` would keep an API token: the OS keychain, or (warned) a private file. */
function keychainCheck(deps: Deps): Check {
  const reason = deps.stores.keychain.unavailableReason?.();
  if (reason) return warn('keychain', `no OS keychain: ${reason}; \`login\` would keep the API token in ${deps.stores.file.file ?? 'a private file'} (0600)`, 'run in a desktop session (or start a Secret Service), or accept the file store');
  return ok('keychain', `login keeps API tokens in the OS keychain (${deps.stores.keychain.label})`);
}

/** The API reachable, the token valid, and the clock against the API's Date header. */
async function apiChecks(deps: Deps, c: Configured, probeUrl?: string): Promise<Check[]> {
  const shape = apiShape(c.apiUrl);
  const target = { apiUrl: c.apiUrl, ...(shape === 'account' && c.account ? { account: c.account } : {}) };
  const chain = chainFor(target, deps.io.env);
  const report = await describeApiTokenSource(deps.io.env, target, {}, chain);
  const source = checkTokenSource(report, c.apiUrl);
  if (source.status === 'fail') return [source];
  let token: string;
  try {
    // Verifying needs no account, so a Cloudflare block without one is checked too.
    token = (await findToken(chain, deps.io.env, deps.now() + apiTimeoutMs, target)).token;
    rememberSecret(token);
  } catch (e) {
    return [source, fail('api-token', `cannot read the API token from ${report.source}: ${isArtifactsError(e) ? e.message : String(e)}`, isArtifactsError(e) ? e.hint : undefined)];
  }
  // Namespace-scoped APIs have no verify route; a namespace read tells a taken JWT from a refused one.
  const probe = shape === 'namespace' ? '/namespaces/default' : '/user/tokens/verify';
  const sent = Date.now();
  let res: HttpAnswer;
  try {
    // node:http with a bound on the whole exchange and on the body, no redirects followed
    // (http-request.ts): a hostile or broken API must not make doctor read gigabytes.
    res = await httpRequest({ method: 'GET', url: c.apiUrl.replace(/\/+$/, '') + probe, headers: { authorization: `Bearer ${token}` }, timeoutMs: apiTimeoutMs, maxBodyBytes: apiMaxBodyBytes });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'TIMEOUT' ? `no answer within ${apiTimeoutMs / 1000} s` : code === 'BODY_TOO_LARGE' ? (e as Error).message : String(code ?? (e as Error).message);
    return [source, fail('api-reachable', `${c.apiUrl} is not reachable (${why})`, 'check the network, a proxy (HTTPS_PROXY) and the --api-url configure was given')];
  }
  const checks = [source, ok('api-reachable', `${c.apiUrl} answered ${res.status}`), checkClockSkew(res.header('date') ?? undefined, sent, Date.now())];
  let body: { result?: { status?: unknown } } | undefined;
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    body = undefined;
  }
  const refused = res.status === 401 || res.status === 403;
  const fix = shape === 'namespace' ? `git-credential-artifacts login --api-url ${c.apiUrl} (a current gateway JWT)` : `git-credential-artifacts login${c.apiUrl === cloudflareApiUrl ? '' : ` --api-url ${c.apiUrl}`} with a token that has "Artifacts Edit" (https://dash.cloudflare.com/profile/api-tokens)`;
  if (refused) checks.push(fail('api-token', `${c.apiUrl} refuses the ${shape === 'namespace' ? 'gateway JWT' : 'API token'} from ${report.source} (${res.status}): invalid, expired or revoked`, fix));
  else if (shape === 'account' && (res.status !== 200 || body?.result?.status !== 'active')) checks.push(fail('api-token', `the API token from ${report.source} is not active (${res.status}${typeof body?.result?.status === 'string' ? `, ${body.result.status}` : ''})`, fix));
  else {
    checks.push(ok('api-token', `${c.apiUrl} accepts the ${shape === 'namespace' ? 'gateway JWT' : 'API token'} from ${report.source}`));
    if (probeUrl) checks.push(...(await permissionProbe(deps, c, token, probeUrl)));
    if (probeUrl) checks.push(...(await cachedTokenChecks(deps.cache, { url: probeUrl, apiUrl: c.apiUrl, account: c.account }, deps.now())));
  }
  return checks;
}

const probeTtl = 60;

/**
 * With a repository: what git would really get. Mints a 60 s read token, runs `git ls-remote`
 * with it (handed over by a one-off helper reading it from the environment, never argv), and
 * revokes it; then whether a write token could be minted (revoked at once).
 */
async function permissionProbe(deps: Deps, c: Configured, apiToken: string, url: string): Promise<Check[]> {
  const shape = apiShape(c.apiUrl);
  const u = parseUrl(url);
  const ref = u ? parseRepoPath(decodeURIComponent(u.path.replace(/^\/+/, '')), shape) : undefined;
  if (!ref) return [fail('repo', `${url} is not an Artifacts repository URL (${shape === 'account' ? 'https://<host>/git/<namespace>/<repo>.git' : 'https://<host>/<namespace>/<repo>.git'})`, 'pass the remote URL the dashboard or the API gave for the repository')];
  // On Cloudflare the account is the host's first label; configure may not have been given one.
  const account = c.account ?? (u ? cloudflareGitAccount(u.host) : undefined);
  if (shape === 'account' && !account) return [fail('repo', `no account for ${url}: cannot mint a probe token`, 'configure with --account <ACCOUNT_ID>')];
  const cp = controlPlane(c.apiUrl, account);
  const options = { apiToken, deadline: deps.now() + apiTimeoutMs };
  const revoke = async (id: string | undefined): Promise<void> => {
    if (!id) return;
    await deps.api('DELETE', tokenPath(cp, ref.namespace, id), undefined, { ...options, apiUrl: cp.apiUrl, what: 'revoke the probe token', shape: cp.shape }).catch(() => undefined);
  };
  const name = `${ref.namespace}/${ref.repo}`;
  const checks: Check[] = [];
  let read;
  try {
    read = await mintRepoToken(cp, ref, 'read', probeTtl, options);
    rememberSecret(read.secret);
  } catch (e) {
    return [fail('repo-read', `cannot mint a read token for ${name}: ${isArtifactsError(e) ? e.message : String(e)}`, isArtifactsError(e) ? e.hint : undefined)];
  }
  try {
    const helper = `!f() { test "$1" = get && printf 'username=x\\npassword=%s\\n' "$${probeEnv}"; }; f`;
    // The one-off helper answers for this URL's origin only (credential.<url>.helper, git's
    // urlmatch), and git runs outside the repository doctor was started in: a hostile clone's
    // url.<x>.insteadOf, http.proxy or redirect must not carry the read token elsewhere.
    const origin = `${u!.scheme}://${u!.host}${u!.port && u!.port !== ({ http: '80', https: '443' } as Record<string, string>)[u!.scheme] ? `:${u!.port}` : ''}`;
    const r = await run(['git', '-c', 'credential.helper=', '-c', `credential.${origin}.helper=${helper}`, '-c', 'credential.useHttpPath=true', 'ls-remote', url], {
      env: { ...deps.io.env, [probeEnv]: read.secret, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', GIT_DIR: undefined, GIT_WORK_TREE: undefined },
      cwd: path.parse(deps.io.cwd).root,
      timeoutMs: 30_000,
      label: `git ls-remote ${url}`,
    }).catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: isArtifactsError(e) ? e.message : String(e) }));
    if (r.exitCode === 0) checks.push(ok('repo-read', `git ls-remote ${url} works with a freshly minted read token (${r.stdout.split('\n').filter(Boolean).length} refs)`));
    else checks.push(fail('repo-read', `git ls-remote ${url} fails with a freshly minted read token: ${r.stderr.trim().split('\n').pop()?.slice(0, 300) ?? ''}`, 'check the URL against the repository\'s remote in the API; run with GIT_TRACE_CURL=1 to see the answer'));
  } finally {
    await revoke(read.id);
  }
  try {
    const write = await mintRepoToken(cp, ref, 'write', probeTtl, options);
    rememberSecret(write.secret);
    await revoke(write.id);
    checks.push(ok('repo-write', `a write token for ${name} can be minted (pushes can work)`));
  } catch (e) {
    checks.push(warn('repo-write', `no write token for ${name}: ${isArtifactsError(e) ? e.message : String(e)}; clone and fetch work, pushes will not`, 'give the API token "Artifacts Edit", or check that the repository is not read-only'));
  }
  return checks;
}

const probeEnv = 'ARTIFACTS_DOCTOR_PROBE_TOKEN';

export async function collectChecks(deps: Deps, target: string | undefined): Promise<Check[]> {
  const checks: Check[] = [];
  // Without any config: git refuses even `git version` when a config file is broken, and that is the next check's finding.
  const version = await git(deps, ['version'], { env: { GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' }, cwd: path.parse(deps.io.cwd).root });
  checks.push(checkGitVersion(version?.code === 0 ? version.stdout : undefined));
  const listed = await git(deps, ['config', '--show-origin', '--show-scope', '-z', '--list']);
  const entries = listed?.code === 0 ? parseConfigList(listed.stdout) : [];
  if (!listed || (listed.code !== 0 && listed.code !== 1)) {
    // git's own words name the file (`bad config line 1 in file …`, `unable to access '…'`).
    const why = listed?.stderr.trim().split('\n').filter(Boolean).slice(-2).join('; ');
    checks.push(fail('git-config', `git cannot read its configuration${why ? `: ${why}` : ''}`, 'fix or remove the file git names (`git config --list --show-origin` shows them all); every git command fails until then'));
    return checks;
  }
  const origins = configuredOrigins(entries);
  const configureCommand = `${credentialTool} configure`;
  if (origins.length === 0) {
    checks.push(fail('configured', 'no gitconfig block of ours: git does not use this helper for any host', `${configureCommand} [--account <ACCOUNT_ID>] (or --git-url/--api-url/--account for a custom endpoint)`));
    return checks;
  }
  let urls: Array<{ url: string; c: Configured }>;
  if (target !== undefined) {
    let url: string | undefined;
    try {
      url = await targetUrl(deps, target);
    } catch (e) {
      if (!isArtifactsError(e)) throw e;
      checks.push(fail('target', `cannot find the repository ${JSON.stringify(target)} names: ${e.message}`, e.hint));
      return checks;
    }
    if (!url) {
      checks.push(fail('target', `${JSON.stringify(target)} is neither a URL nor a remote of the repository in ${deps.io.cwd}`, 'pass an https URL of the repository, or run doctor inside the clone with its remote name'));
      return checks;
    }
    // Only an origin whose own pattern matches the URL (git's urlmatch: exact host, one-label `*`):
    // a repo-local copy of our helper line for another host must not lend it our API token.
    const covering = origins.filter((o) => urlMatches(o.pattern, url));
    const c = covering.find((o) => helperChain(entries, url).some((l) => l.value === o.helper)) ?? covering[0];
    if (!c) {
      checks.push(fail('configured', `no block of ours covers ${url}`, configureCommand));
      return checks;
    }
    urls = [{ url, c }];
  } else {
    urls = origins.map((c) => ({ url: sampleUrl(c), c }));
  }
  checks.push(ok('configured', `configured for ${origins.map((o) => o.pattern).join(', ')}`));
  for (const { url, c } of urls) {
    const fixAgain = c.pattern.includes('*') ? `${configureCommand}${c.account ? ` --account ${c.account}` : ''}` : `${configureCommand} --git-url ${c.pattern.replace(/\/$/, '')} --api-url ${c.apiUrl}${c.account ? ` --account ${c.account}` : ''}`;
    checks.push(checkHelperPaths(c.helper, existsSync, fixAgain));
    checks.push(checkHelperCurrent(helperPaths(c.helper), selfCommand(), fixAgain));
    checks.push(...checkHelperChain(entries, url, fixAgain));
    checks.push(checkExtraHeader(entries, url));
    const routing = checkPushRouting(entries, url, c.pattern.includes('*') ? `${configureCommand} --account <ACCOUNT_ID>` : fixAgain);
    checks.push(...routing);
    checks.push(checkRemoteHelper(await findRemoteHelper(deps), routing[0]!.status === 'ok'));
    if (parseUrl(url)?.scheme === 'http') checks.push(warn('transport', `${url} is plain http: fine for the emulator on this machine, never for a real endpoint`));
    checks.push(...(await apiChecks(deps, c, target === undefined ? undefined : url)));
  }
  checks.push(cacheDirCheck(deps.io.env));
  checks.push(keychainCheck(deps));
  return checks;
}

const label: Record<Check['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
const clean = (s: string): string => printable(redact(s));

export async function doctor(o: DoctorOptions, target: string | undefined, deps: Deps): Promise<number> {
  const { io } = deps;
  let checks: Check[];
  try {
    checks = await collectChecks(deps, target);
  } catch (e) {
    // Still one answer: a check that could not run is a failure, with what went wrong.
    checks = [fail('doctor', isArtifactsError(e) ? e.message : `unexpected: ${String((e as Error)?.message ?? e)}`, isArtifactsError(e) ? e.hint : 'please report it')];
  }
  checks = checks.map((c) => ({ ...c, found: clean(c.found), ...(c.fix ? { fix: clean(c.fix) } : {}) }));
  const failed = checks.some((c) => c.status === 'fail');
  if (o.json) {
    io.stdout.write(`${JSON.stringify({ ok: !failed, checks }, null, 2)}\n`);
  } else {
    for (const c of checks) {
      io.stdout.write(`${label[c.status]}  ${c.id}: ${c.found}\n`);
      if (c.fix && c.status !== 'ok') io.stdout.write(`      fix: ${c.fix}\n`);
    }
    const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
    io.stdout.write(`${count('fail')} failed, ${count('warn')} warnings, ${count('ok')} ok\n`);
  }
  return failed ? 1 : 0;
}
