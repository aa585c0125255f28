// The facts doctor judges, gathered through DoctorDeps (the command's Deps, src/cli/deps.ts) so a
// test can hand in its own: git's version and config list, the URL a remote names, where git
// finds the remote helper, the token cache directory and the keychain.
import { existsSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { run } from '../child-process.js';
import type { apiRequest } from '../controlplane/client.js';
import type { HttpTransport } from '../controlplane/http-request.js';
import type { Io } from '../io.js';
import { remoteTool } from '../names.js';
import { tokenCacheDir } from '../paths.js';
import type { Stores } from '../store/logins.js';
import type { TokenCache } from '../token/cache.js';
import { fail, ok, warn, type Check } from './check.js';
import { checkCacheDir } from './facts.js';

/** What doctor takes from the outside world: a part of the CLI's Deps, and namedRemote. */
export interface DoctorDeps {
  io: Io;
  stores: Stores;
  cache: TokenCache;
  api: typeof apiRequest;
  run: typeof run;
  http: HttpTransport;
  uid: () => number | undefined;
  now: () => number;
  /**
   * The https remote an `artifacts://<namespace>/<repo>` URL names, as git-remote-artifacts
   * finds it; handed in by the command, as src/remote/ is not below this folder.
   */
  namedRemote: (url: string) => Promise<string>;
}

export interface GitAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

const gitTimeoutMs = 10_000;
/** The bound on each of doctor's API exchanges (probe.ts, repo-probe.ts). */
export const apiTimeoutMs = 10_000;

/** One git command in the user's environment; undefined when git did not run (or not in time). */
export async function git(
  deps: Pick<DoctorDeps, 'io' | 'run'>,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<GitAnswer | undefined> {
  try {
    const env = { ...deps.io.env, ...o.env };
    const r = await deps.run(['git', ...args], { env, cwd: o.cwd ?? deps.io.cwd, timeoutMs: gitTimeoutMs, maxOutputBytes: 8 << 20 });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  } catch {
    return undefined;
  }
}

/** `git version` without any config: git refuses even that when a config file is broken, and that is the next check's finding. */
export async function gitVersion(deps: Pick<DoctorDeps, 'io' | 'run'>): Promise<string | undefined> {
  const r = await git(deps, ['version'], { env: { GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' }, cwd: path.parse(deps.io.cwd).root });
  return r?.code === 0 ? r.stdout : undefined;
}

/** `git config --list` with origins and scopes, NUL-separated (config-list.ts parses it). */
export function gitConfigList(deps: Pick<DoctorDeps, 'io' | 'run'>): Promise<GitAnswer | undefined> {
  return git(deps, ['config', '--show-origin', '--show-scope', '-z', '--list']);
}

/**
 * Resolves a remote name (or an artifacts:: URL) to the https URL git authenticates against:
 * `artifacts://<namespace>/<repo>` (a clone made with one: issue 21) is not it, the https
 * remote the configured API names for it is (deps.namedRemote).
 */
export async function targetUrl(deps: Pick<DoctorDeps, 'io' | 'run' | 'namedRemote'>, arg: string): Promise<string | undefined> {
  const url = arg.replace(/^artifacts::/, '');
  if (url.includes('://')) return deps.namedRemote(url);
  const r = await git(deps, ['remote', 'get-url', '--push', arg]);
  return r?.code === 0 ? deps.namedRemote(r.stdout.trim().replace(/^artifacts::/, '')) : undefined;
}

/** Where git would find git-remote-artifacts: its exec-path first, then PATH (git(1), "--exec-path"). */
export async function findRemoteHelper(deps: Pick<DoctorDeps, 'io' | 'run'>): Promise<string | undefined> {
  const execPath = (await git(deps, ['--exec-path']))?.stdout.trim();
  const dirs = [execPath, ...(deps.io.env.PATH ?? '').split(path.delimiter)].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const file = path.join(dir, remoteTool);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The token cache directory: whose it is and its mode (facts.ts checkCacheDir judges them). */
export function cacheDirCheck(deps: Pick<DoctorDeps, 'io' | 'uid'>): Check {
  const dir = tokenCacheDir(deps.io.env);
  try {
    const s = lstatSync(dir);
    return checkCacheDir({ path: dir, uid: deps.uid(), stat: { isSymbolicLink: s.isSymbolicLink(), isDirectory: s.isDirectory(), uid: s.uid, mode: s.mode } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return checkCacheDir({ path: dir, uid: undefined });
    return fail('cache-dir', `cannot look at ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, `check the permissions of ${path.dirname(dir)}`);
  }
}

/** Where `login` would keep an API token: the OS keychain, or (warned) a private file. */
export function keychainCheck(deps: Pick<DoctorDeps, 'stores'>): Check {
  const reason = deps.stores.keychain.unavailableReason?.();
  if (reason) {
    const found = `no OS keychain: ${reason}; \`login\` would keep the API token in ${deps.stores.file.file ?? 'a private file'} (0600)`;
    return warn('keychain', found, 'run in a desktop session (or start a Secret Service), or accept the file store');
  }
  return ok('keychain', `login keeps API tokens in the OS keychain (${deps.stores.keychain.label})`);
}
