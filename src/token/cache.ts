// Per-user token cache: one small JSON file per (API endpoint, account, namespace, repo, scope).
// Files are 0600 in a 0700 directory we own, written by write-then-rename so a reader never
// sees half a file, opened with O_NOFOLLOW so a planted symlink cannot redirect a read or a
// write. A corrupt or foreign entry is discarded and the caller mints again.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { ArtifactsError } from '../errors.js';
import type { CachedToken } from './policy.js';
import type { Scope } from './settings.js';

export interface CacheKey {
  apiUrl: string;
  account: string;
  namespace: string;
  repo: string;
  scope: Scope;
}

const posix = process.platform !== 'win32';
const noFollow = posix ? constants.O_NOFOLLOW : 0;

export function keyString(key: CacheKey): string {
  return [key.apiUrl, key.account, key.namespace, key.repo, key.scope].join('\n');
}

/** File name for a key: reversible base64url, so two keys can never share a file. */
export function entryName(key: CacheKey): string {
  return `${Buffer.from(keyString(key)).toString('base64url')}.json`;
}

function unsafe(dir: string, why: string): ArtifactsError {
  return new ArtifactsError('cache.unsafe', `token cache ${dir} is unsafe: ${why}`, {
    hint: `remove it (rm -rf '${dir}') or point ARTIFACTS_CACHE_DIR at a private directory`,
  });
}

/** Creates the directory 0700 if needed and refuses one that is a symlink or not ours. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw unsafe(dir, 'not a plain directory');
  if (!posix) return;
  if (st.uid !== process.getuid!()) throw unsafe(dir, 'owned by another user');
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export function readPrivateFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | noFollow);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafe(file, 'the entry is a symlink');
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafe(file, 'the entry is not a regular file');
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

export class TokenCache {
  constructor(readonly dir: string) {}

  private file(key: CacheKey): string {
    return path.join(this.dir, entryName(key));
  }

  /** The cached token for key, or undefined (missing, corrupt, or for another key). */
  read(key: CacheKey): CachedToken | undefined {
    const file = this.file(key);
    const text = readPrivateFile(file);
    if (text === undefined) return undefined;
    const entry = decodeEntry(text, key);
    if (!entry) this.removeFile(file);
    return entry;
  }

  write(key: CacheKey, token: CachedToken): void {
    ensurePrivateDir(this.dir);
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const body = JSON.stringify({ v: 1, key: keyString(key), ...token });
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    try {
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, file);
    } catch (e) {
      this.removeFile(tmp);
      throw e;
    }
  }

  /** Drops the entry for key if its secret matches (erase must not drop a newer token). */
  removeIfSecret(key: CacheKey, secret: string): boolean {
    const current = this.read(key);
    if (!current || current.secret !== secret) return false;
    this.removeFile(this.file(key));
    return true;
  }

  lockPath(key: CacheKey): string {
    return `${this.file(key)}.lock`;
  }

  private removeFile(file: string): void {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: another process discarded or replaced it first.
    }
  }
}

function decodeEntry(text: string, key: CacheKey): CachedToken | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.v !== 1 || e.key !== keyString(key)) return undefined;
  if (typeof e.plaintext !== 'string' || typeof e.secret !== 'string' || !e.plaintext.startsWith(e.secret)) return undefined;
  if (e.expiresAt !== undefined && typeof e.expiresAt !== 'number') return undefined;
  return {
    plaintext: e.plaintext,
    secret: e.secret,
    expiresAt: e.expiresAt as number | undefined,
    ...(typeof e.id === 'string' ? { id: e.id } : {}),
  };
}
