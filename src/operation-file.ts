// The operation file: how git-remote-artifacts tells our credential helper which scope this
// session needs. git's credential protocol never says whether git fetches or pushes
// (docs/git-and-artifacts-behaviour.md, "What a credential helper never sees"); the remote
// helper knows, and records `read` or `write` before git makes any HTTP request
// (docs/credential-flow.md, "What the wrapper does").
//
// This module owns all of it, for both sides: the environment variable that names the file,
// the format (one word and a newline, never a token), where it lives (a 0600 file in a fresh
// 0700 directory under TMPDIR, removed when the remote helper exits), how it is opened
// (O_NOFOLLOW, O_NONBLOCK) and what the reader accepts. Without a valid file the answer is
// read: least privilege, so a fetch never gets write.
//
// The credential helper reads it on the hot path: Node built-ins and types only.
import { closeSync, constants, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactsError } from './errors.js';
import { remoteTool } from './names.js';
import type { Scope } from './token/settings.js';

export const operationFileEnv = 'ARTIFACTS_OPERATION_FILE';

const posix = process.platform !== 'win32';
const noFollow = posix ? constants.O_NOFOLLOW : 0;
const noBlock = posix ? constants.O_NONBLOCK : 0;
/** More than any valid content ("write\n"); a bigger file is not ours. */
const maxBytes = 16;

/** The file's content for a scope. */
export function formatOperation(scope: Scope): string {
  return `${scope}\n`;
}

/** The scope a file's content names, or undefined for anything else. */
export function parseOperation(text: string): Scope | undefined {
  const word = text.trim();
  return word === 'write' || word === 'read' ? word : undefined;
}

/** The writer's side: created by git-remote-artifacts before it starts git's transport. */
export class OperationFile {
  readonly dir: string;
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv) {
    const base = env.TMPDIR && path.isAbsolute(env.TMPDIR) ? env.TMPDIR : os.tmpdir();
    try {
      this.dir = mkdtempSync(path.join(base, 'artifacts-remote-')); // mkdtemp creates it 0700
    } catch (e) {
      throw tmpError(e, base);
    }
    this.file = path.join(this.dir, 'operation');
    try {
      closeSync(openSync(this.file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600));
    } catch (e) {
      this.remove();
      throw tmpError(e, base);
    }
  }

  /** Records the scope; synchronous, so it is on disk before the next command is forwarded. */
  record(scope: Scope): void {
    try {
      const fd = openSync(this.file, constants.O_WRONLY | constants.O_TRUNC | noFollow);
      try {
        writeSync(fd, formatOperation(scope));
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw tmpError(e, path.dirname(this.dir));
    }
  }

  /** Removes the directory; runs after the remote helper's last catch, so it never throws. */
  remove(): void {
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A private, empty-but-for-one-word directory left in TMPDIR: not worth failing git for.
    }
  }
}

function tmpError(e: unknown, base: string): ArtifactsError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new ArtifactsError('cache.io', `cannot create a private file in ${base} (${code})`, {
    hint: full ? 'the disk is full: free some space' : 'set TMPDIR to a writable directory of your own',
    cause: e,
  });
}

/** The reader's side (the credential helper): the scope and where it came from, for the trace. */
export function operationScope(env: NodeJS.ProcessEnv): { scope: Scope; source: string } {
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
    const scope = parseOperation(buf.toString('utf8', 0, n));
    return scope ? { scope, source: remoteTool } : { scope: 'read', source: 'default (operation not recorded)' };
  } catch {
    return { scope: 'read', source: 'default (operation file unreadable)' };
  } finally {
    closeSync(fd);
  }
}
