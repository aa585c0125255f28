// Files only this user may read or change: 0600 files in a 0700 directory we own, opened
// with O_NOFOLLOW so a planted symlink cannot redirect a read or a write, and replaced by
// write-then-rename so a reader never sees half a file. The token cache and the remote
// helper's resolved-remote cache both keep their entries this way.
//
// What protects them, by OS:
// - Linux, macOS: the checks below, all enforced: the directory is ours and 0700 (tightened if
//   looser), an entry is a regular file, ours and 0600, opened O_NOFOLLOW | O_NONBLOCK.
// - Windows: no POSIX modes (Node reports 0o666/0o444) and no O_NOFOLLOW. The file is as
//   private as its folder's ACL: the default %LOCALAPPDATA% (paths.ts) allows only the user,
//   SYSTEM and Administrators, and new files inherit that. An ARTIFACTS_CACHE_DIR elsewhere
//   (C:\shared) inherits that folder's ACL instead: README "Windows" says so. Links are
//   refused by lstat before the open and by comparing the opened file's identity with it
//   after (a link or junction swapped in between is caught), and a directory that is a link
//   or a junction is refused as on POSIX.
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { ArtifactsError } from './errors.js';
import { sha256Hex } from './sha256.js';

const posix = process.platform !== 'win32';
const noFollow = posix ? constants.O_NOFOLLOW : 0;
// O_NONBLOCK: a FIFO planted where an entry should be would otherwise block open() forever
// (and git with it); with it open() returns at once and fstat shows it is no regular file.
const noBlock = posix ? constants.O_NONBLOCK : 0;

/** Windows: another process holding the file open (an antivirus scan, a reader) fails a rename or create with these. */
const busyCodes = new Set(['EPERM', 'EBUSY', 'EACCES']);

/** Whether a failure is Windows' "someone has it open", worth a short wait. Never on POSIX, where EPERM/EACCES mean what they say. */
export function isBusy(e: unknown, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32' && busyCodes.has((e as NodeJS.ErrnoException)?.code ?? '');
}

const sleepSync = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * fn(), retried while isBusy() says the file is held, waiting 10, 20, 40 … ms: at most
 * `tries` attempts, ~1.3 s in all by default, then the last failure is thrown (git must never hang).
 */
export function retryBusy<T>(fn: () => T, platform: NodeJS.Platform = process.platform, tries = 8, sleep = sleepSync): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (attempt >= tries || !isBusy(e, platform)) throw e;
      sleep(10 * 2 ** (attempt - 1));
    }
  }
}

/** The file name for an entry with this key: fixed length whatever the key (NAME_MAX is 255). */
export function entryFileName(key: string): string {
  return `${sha256Hex(key)}.json`;
}

function unsafe(dir: string, why: string): ArtifactsError {
  return new ArtifactsError('cache.unsafe', `token cache ${dir} is unsafe: ${why}`, {
    hint: `remove it (rm -rf '${dir}') or point ARTIFACTS_CACHE_DIR at a private directory`,
  });
}

/** Creates the directory 0700 if needed and refuses one that is a symlink or not ours. */
export function ensurePrivateDir(dir: string): void {
  let st;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    st = lstatSync(dir);
  } catch (e) {
    throw fileError(e, dir, 'write');
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw unsafe(dir, 'not a plain directory');
  if (!posix) return;
  if (st.uid !== process.getuid!()) throw unsafe(dir, 'owned by another user');
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Windows: what O_NOFOLLOW does elsewhere, as far as lstat can tell (undefined: no file). */
function lstatNoLink(file: string): Stats | undefined {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(e, file, 'read');
  }
  if (st.isSymbolicLink()) throw unsafe(file, 'the entry is a symlink');
  return st;
}

export function readPrivateFile(file: string): string | undefined {
  let fd: number;
  const before = posix ? undefined : lstatNoLink(file);
  if (!posix && !before) return undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | noFollow | noBlock);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafe(file, 'the entry is a symlink');
    throw fileError(e, file, 'read');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafe(file, 'the entry is not a regular file');
    if (before && (before.ino !== st.ino || before.dev !== st.dev)) throw unsafe(file, 'the entry changed while it was opened (a link?)');
    if (posix && (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0)) throw unsafe(file, 'the entry is readable by others');
    if (st.size > 64 * 1024) return '';
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('utf8', 0, off);
  } finally {
    closeSync(fd);
  }
}

/** Replaces file with body (0600), creating the directory privately if needed. */
export function writePrivateFile(dir: string, file: string, body: string): void {
  ensurePrivateDir(dir);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    try {
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    retryBusy(() => renameSync(tmp, file));
  } catch (e) {
    // ENOSPC, EDQUOT, EIO, …: leave nothing half-written behind.
    removeQuietly(tmp);
    throw fileError(e, file, 'write');
  }
}

/** A filesystem failure as an ArtifactsError that says which file and what to do. */
export function fileError(e: unknown, file: string, verb: 'read' | 'write'): ArtifactsError {
  if (e instanceof ArtifactsError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const hints: Record<string, string> = {
    ENOSPC: 'the disk is full: free some space',
    EDQUOT: 'the disk quota is exhausted: free some space',
    EACCES: `check the permissions of ${file} and its directory`,
    EPERM: `check the permissions of ${file} and its directory`,
    EROFS: 'the file system is read-only: point ARTIFACTS_CACHE_DIR at a writable private directory',
    ENOTDIR: `a path component of ${file} is not a directory: point ARTIFACTS_CACHE_DIR at a private directory`,
  };
  return new ArtifactsError('cache.io', `cannot ${verb} ${file} (${code})`, {
    hint: hints[code] ?? 'point ARTIFACTS_CACHE_DIR at a private, writable directory',
    cause: e,
  });
}

/** Removes a file; one already gone (another process got there first) is fine. */
export function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
