// The operation file: how git-remote-artifacts tells our credential helper which scope this
// session needs. git's credential protocol never says whether git fetches or pushes
// (docs/git-and-artifacts-behaviour.md, "What a credential helper never sees"); the remote
// helper knows, and records `read` or `write` before git makes any HTTP request
// (docs/credential-flow.md, "What the wrapper does").
//
// This module owns all of it, for both sides: the environment variable that names the file,
// the format (one word and a newline, never a token), where it lives (a 0600 file in a fresh
// 0700 session directory under the token cache's own private directory, removed when the
// remote helper exits), how it is opened (O_NOFOLLOW, O_NONBLOCK) and what the reader
// accepts. Without a valid file the answer is read: least privilege, so a fetch never gets
// write.
//
// Why the token cache's directory and not TMPDIR: the session directory also holds the
// wrapper's answer (a token) and the helper file its child sources (src/remote/session-helper.ts).
// The cache directory is checked to be ours and private before use (private-file.ts), while a
// TMPDIR that others may rename in would let them swap the session directory under us; and a
// wrapper killed with SIGKILL leaves its answer where tokens already live, not in a shared
// temp directory (and the next session sweeps it: sweepStale).
//
// The credential helper reads it on the hot path: Node built-ins and types only.
import { closeSync, constants, fstatSync, lstatSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { remoteTool } from './names.js';
import { tokenCacheDir } from './paths.js';
import { ensurePrivateDir, fileError } from './private-file.js';
import type { Scope } from './scope.js';

export const operationFileEnv = 'ARTIFACTS_OPERATION_FILE';

const posix = process.platform !== 'win32';
const noFollow = posix ? constants.O_NOFOLLOW : 0;
const noBlock = posix ? constants.O_NONBLOCK : 0;
/** More than any valid content ("write\nno-create\n"); a bigger file is not ours. */
const maxBytes = 32;

/**
 * Whether a push may create the repo it goes to when the API says it does not exist (issue 23):
 * the remote helper's reading of `artifacts.createOnPush` (src/remote/git-config.ts), recorded
 * with `write` only. 'no-create': the setting is false, and the refusal names it.
 */
export type CreateMode = 'create' | 'no-create';

/** The file's content for a scope (and, for write, whether a missing repo may be created). */
export function formatOperation(scope: Scope, create?: CreateMode): string {
  return scope === 'write' && create ? `${scope}\n${create}\n` : `${scope}\n`;
}

/** The scope a file's content names, or undefined for anything else. */
export function parseOperation(text: string): Scope | undefined {
  return parseOperationFile(text)?.scope;
}

/** Scope and create mode of a file's content; undefined for anything that is not exactly ours. */
export function parseOperationFile(text: string): { scope: Scope; create: CreateMode | undefined } | undefined {
  const [word, mode, ...rest] = text.trim().split('\n');
  if (rest.length || (word !== 'write' && word !== 'read')) return undefined;
  if (mode === undefined) return { scope: word, create: undefined };
  return word === 'write' && (mode === 'create' || mode === 'no-create') ? { scope: word, create: mode } : undefined;
}

/** The writer's side: created by git-remote-artifacts before it starts git's transport. */
export class OperationFile {
  readonly dir: string;
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv, now: () => number = Date.now) {
    const base = sessionsDir(env);
    ensurePrivateDir(path.dirname(base));
    ensurePrivateDir(base);
    sweepStale(base, now());
    try {
      this.dir = mkdtempSync(path.join(base, 'remote-')); // mkdtemp creates it 0700
    } catch (e) {
      throw fileError(e, base, 'write');
    }
    this.file = path.join(this.dir, 'operation');
    try {
      closeSync(openSync(this.file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600));
    } catch (e) {
      this.remove();
      throw fileError(e, this.file, 'write');
    }
  }

  /** Records the scope; synchronous, so it is on disk before the next command is forwarded. */
  record(scope: Scope, create?: CreateMode): void {
    try {
      const fd = openSync(this.file, constants.O_WRONLY | constants.O_TRUNC | noFollow);
      try {
        writeSync(fd, formatOperation(scope, create));
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw fileError(e, this.file, 'write');
    }
  }

  /** Removes the directory; runs after the remote helper's last catch, so it never throws. */
  remove(): void {
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A private directory left in the private cache: the next session sweeps it.
    }
  }
}

/** Where session directories live: `sessions` in the token cache's directory. */
export function sessionsDir(env: NodeJS.ProcessEnv): string {
  return path.join(tokenCacheDir(env), 'sessions');
}

/** An answer lives milliseconds; one this old was left by a wrapper that was killed. */
const staleAnswerMs = 10 * 60_000;
/** No push or fetch runs this long; its directory was left behind. */
const staleSessionMs = 24 * 3600_000;

/**
 * Removes what killed sessions left: answers older than 10 minutes, session directories
 * older than a day. Only entries named like ours, not symlinks, owned by us; never throws.
 */
export function sweepStale(base: string, nowMs: number): void {
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith('remote-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(base, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (posix && st.uid !== process.getuid!())) continue;
      if (nowMs - st.mtimeMs > staleSessionMs) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const answer = path.join(dir, 'answer');
      const a = lstatSync(answer, { throwIfNoEntry: false });
      if (a && nowMs - a.mtimeMs > staleAnswerMs) unlinkSync(answer);
    } catch {
      // Gone meanwhile, or not ours to touch.
    }
  }
}

/** The reader's side (the credential helper): the scope and where it came from, for the trace. */
export function operationScope(env: NodeJS.ProcessEnv): { scope: Scope; source: string; create?: CreateMode } {
  const file = env[operationFileEnv];
  if (!file || !path.isAbsolute(file)) return { scope: 'read', source: 'default' };
  let fd: number;
  try {
    // O_NOFOLLOW: no symlink redirects the read; O_NONBLOCK: a FIFO planted at that path
    // opens at once (and is then refused as no regular file) instead of hanging git forever.
    fd = openSync(file, constants.O_RDONLY | noFollow | noBlock);
  } catch {
    return { scope: 'read', source: 'default (operation file unreadable)' };
  }
  try {
    const st = fstatSync(fd);
    // Only a private regular file of ours may raise the scope to write.
    if (!st.isFile() || (posix && (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0))) {
      return { scope: 'read', source: 'default (operation file not private)' };
    }
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const parsed = parseOperationFile(buf.toString('utf8', 0, n));
    if (!parsed) return { scope: 'read', source: 'default (operation not recorded)' };
    return { scope: parsed.scope, source: remoteTool, ...(parsed.create ? { create: parsed.create } : {}) };
  } catch {
    return { scope: 'read', source: 'default (operation file unreadable)' };
  } finally {
    closeSync(fd);
  }
}
