// The git commands behind create, fork and import, run through src/child-process.ts (argv
// arrays, no shell, a time bound, bounded output) in an environment that ignores the user's and
// the system's git config.
import { randomBytes } from 'node:crypto';
import { appendFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runChecked } from '../child-process.js';

/** Per-repo config: pushes over HTTP, and blobless clones (artifact-fs) over v2. */
const repoConfig = '[http]\n\treceivepack = true\n[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n';

export interface GitEnv {
  tmpDir: string;
  timeoutMs: number;
  /** GIT_ALLOW_PROTOCOL (https://git-scm.com/docs/git#Documentation/git.txt-GITALLOWPROTOCOL), e.g. `http:https`; unset: git's defaults. */
  allowProtocols?: string;
}

export function gitEnv(tmpDir: string, allowProtocols?: string): NodeJS.ProcessEnv {
  return {
    ...(allowProtocols === undefined ? {} : { GIT_ALLOW_PROTOCOL: allowProtocols }),
    PATH: process.env.PATH,
    HOME: tmpDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LANG: 'C',
  };
}

async function git(env: GitEnv, args: string[]): Promise<string> {
  // Named by its subcommand: the arguments hold paths and the import source's URL.
  const label = `git ${args.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? ''}`.trim();
  const result = await runChecked(['git', ...args], { env: gitEnv(env.tmpDir, env.allowProtocols), timeoutMs: env.timeoutMs, label });
  return result.stdout.replace(/\n$/, '');
}

/** Creates a bare repo in a temp dir and renames it into `dir`, so `dir` is never half-made. */
export async function initBare(env: GitEnv, dir: string, branch: string): Promise<void> {
  const tmp = path.join(env.tmpDir, `init-${randomBytes(6).toString('hex')}`);
  try {
    await git(env, ['init', '--bare', '--quiet', `--initial-branch=${branch}`, tmp]);
    await appendFile(path.join(tmp, 'config'), repoConfig);
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Fetches refs from `source` (a path or URL) into the bare repo at `dir`. */
export async function fetchInto(env: GitEnv, dir: string, source: string, options: { branch?: string; depth?: number } = {}): Promise<void> {
  const refspecs = options.branch
    ? [`+refs/heads/${options.branch}:refs/heads/${options.branch}`]
    : ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*', '+refs/notes/*:refs/notes/*'];
  const depth = options.depth ? [`--depth=${options.depth}`] : [];
  await git(env, ['--git-dir', dir, 'fetch', '--quiet', '--no-write-fetch-head', ...depth, '--', source, ...refspecs]);
}

/** The branch HEAD points at in `source`, or null (also throws if it is not a git repo). */
export async function headBranch(env: GitEnv, source: string): Promise<string | null> {
  const out = await git(env, ['ls-remote', '--symref', '--', source, 'HEAD']);
  const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
  return m?.[1] ?? null;
}

/** Reachable objects in a repo (the fork result's `objects`). */
export async function countObjects(env: GitEnv, dir: string): Promise<number> {
  // --count: one number, whatever the repo's size (the object list itself is unbounded).
  return Number(await git(env, ['--git-dir', dir, 'rev-list', '--objects', '--all', '--count']));
}

/** Moves a repo out of the served tree at once, then deletes it in the background. */
export async function removeRepoDir(env: GitEnv, dir: string): Promise<void> {
  const trash = path.join(env.tmpDir, `trash-${randomBytes(6).toString('hex')}`);
  try {
    await rename(dir, trash);
  } catch {
    return; // already gone
  }
  void rm(trash, { recursive: true, force: true }).catch(() => undefined);
}
