// Per-user token cache: one small JSON file per (API endpoint, account, namespace, repo, scope),
// kept as private files (private-file.ts). A corrupt or foreign entry is discarded and the
// caller mints again.
import path from 'node:path';
import { readPrivateFile, removeQuietly, writePrivateFile } from '../private-file.js';
import type { CachedToken } from './policy.js';
import type { Scope } from './settings.js';

export interface CacheKey {
  apiUrl: string;
  account: string;
  namespace: string;
  repo: string;
  scope: Scope;
}

export function keyString(key: CacheKey): string {
  return [key.apiUrl, key.account, key.namespace, key.repo, key.scope].join('\n');
}

/** File name for a key: reversible base64url, so two keys can never share a file. */
export function entryName(key: CacheKey): string {
  return `${Buffer.from(keyString(key)).toString('base64url')}.json`;
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
    if (!entry) removeQuietly(file);
    return entry;
  }

  write(key: CacheKey, token: CachedToken): void {
    writePrivateFile(this.dir, this.file(key), JSON.stringify({ v: 1, key: keyString(key), ...token }));
  }

  /** Drops the entry for key if its secret matches (erase must not drop a newer token). */
  removeIfSecret(key: CacheKey, secret: string): boolean {
    const current = this.read(key);
    if (!current || current.secret !== secret) return false;
    removeQuietly(this.file(key));
    return true;
  }

  lockPath(key: CacheKey): string {
    return `${this.file(key)}.lock`;
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
