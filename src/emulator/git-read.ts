// Reading a bare repo for the content routes with git plumbing: `rev-parse` to resolve a ref,
// `rev-list` to walk history, `cat-file --batch` for objects. Each child gets an argv array (no
// shell), the config-free environment of git-ops.ts, a time bound and an output bound, and
// nothing from a request reaches its argv unvalidated: ids are 40 hex, refs pass refError()
// (names.ts) and are always given as full `refs/...` names or `HEAD`, and paths never reach git.
import { run } from '../child-process.js';
import type { BatchObject } from './git-objects.js';
import { parseBatch } from './git-objects.js';
import { codes, RestError } from './envelope.js';
import { gitEnv } from './git-ops.js';
import type { GitEnv } from './git-ops.js';

export interface GitOutput {
  stdout: Buffer;
  /** The exit code; 128 + the signal number when it was ended (as when truncated). */
  code: number;
  /** stdout went past the bound: the child was killed and stdout holds the first `maxBytes`. */
  truncated: boolean;
}

/** A read that could not finish (timeout, git missing, a failed child) is the server's 500. */
const failed = (message: string): RestError => new RestError(500, codes.internal, message);

/** Runs `git --git-dir <dir> <args>` with optional stdin (src/child-process.ts: a time bound that ends the group). */
export async function runGit(env: GitEnv, dir: string, args: string[], opts: { input?: string; maxBytes: number }): Promise<GitOutput> {
  try {
    const r = await run(['git', '--git-dir', dir, ...args], {
      env: gitEnv(env.tmpDir),
      timeoutMs: env.timeoutMs,
      input: opts.input,
      maxOutputBytes: opts.maxBytes,
      overflow: 'truncate',
      label: `git ${args[0] ?? ''}`,
    });
    return { stdout: r.stdoutBytes, code: r.exitCode, truncated: r.truncated };
  } catch (e) {
    throw failed(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The objects named by `hashes` (each 40 hex), in order, from one `git cat-file --batch`. When
 * the output passes `maxBytes` the result ends with the object that did not fit, without content.
 */
export async function readObjects(env: GitEnv, dir: string, hashes: string[], maxBytes: number): Promise<BatchObject[]> {
  if (hashes.length === 0) return [];
  if (!hashes.every((h) => /^[0-9a-f]{40}$/.test(h))) throw failed('object ids must be 40 hex');
  const out = await runGit(env, dir, ['cat-file', '--batch'], { input: hashes.map((h) => `${h}\n`).join(''), maxBytes });
  if (!out.truncated && out.code !== 0) throw failed(`git cat-file exited with ${out.code}`);
  return parseBatch(out.stdout, out.truncated);
}

/** One object, or null when the repo does not have it. */
export async function readObject(env: GitEnv, dir: string, hash: string, maxBytes: number): Promise<BatchObject | null> {
  const [obj] = await readObjects(env, dir, [hash], maxBytes);
  return obj && !obj.missing ? obj : null;
}

/**
 * The commit a validated ref names, or null: a 40-hex id must be a commit (or a tag of one);
 * `HEAD` and `refs/...` are taken as they are; any other name is a branch, then a tag
 * (`refs/heads/<ref>`, `refs/tags/<ref>`), so a request can't make git read other files of the
 * repo dir as refs (git rev-parse would also try `$GIT_DIR/<ref>`, the first of the
 * `<refname>` rules in https://git-scm.com/docs/gitrevisions).
 */
export async function resolveCommit(env: GitEnv, dir: string, ref: string): Promise<string | null> {
  const candidates = /^[0-9a-f]{40}$/.test(ref) || ref === 'HEAD' || ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const name of candidates) {
    const out = await runGit(env, dir, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`], { maxBytes: 200 });
    const hash = out.stdout.toString('latin1').trim();
    if (out.code === 0 && /^[0-9a-f]{40}$/.test(hash)) return hash;
  }
  return null;
}

/** Up to `limit` commit ids reachable from `commit` (a resolved id), newest first, after `skip`. */
export async function commitIds(env: GitEnv, dir: string, commit: string, limit: number, skip: number): Promise<string[]> {
  if (!/^[0-9a-f]{40}$/.test(commit)) throw failed('commit must be 40 hex');
  const out = await runGit(env, dir, ['rev-list', `--max-count=${limit}`, `--skip=${skip}`, commit], { maxBytes: limit * 41 + 1 });
  if (out.code !== 0) throw failed(`git rev-list exited with ${out.code}`);
  return out.stdout.toString('latin1').split('\n').filter((l) => /^[0-9a-f]{40}$/.test(l));
}
