// Per-user token cache: one small JSON file per (git origin, API endpoint, account, namespace,
// repo, scope), kept as private files (private-file.ts). The git origin is part of the key so
// a token is only ever answered to the origin it was minted for: never to another host or
// port that names the same repo (a hostile `artifacts::http://127.0.0.1:<other-port>/…`). A
// corrupt, foreign or unsafe entry is discarded and the caller mints again.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { hasForbiddenChar } from '../forbidden-char.js';
import { entryFileName, readPrivateFile, removeQuietly, writePrivateFile } from '../private-file.js';
import type { CachedToken } from './policy.js';
import type { Scope } from './settings.js';

export interface CacheKey {
  /** scheme://host[:port] git talks to, lower case, e.g. https://<account>.artifacts.cloudflare.net */
  origin: string;
  apiUrl: string;
  /** '' for a namespace-scoped API (its apiUrl, also in the key, says so). */
  account: string;
  namespace: string;
  repo: string;
  scope: Scope;
}

export function keyString(key: CacheKey): string {
  return [key.origin, key.apiUrl, key.account, key.namespace, key.repo, key.scope].join('\n');
}

/** File name for a key: a hash, so every valid key fits NAME_MAX; the entry holds the key itself. */
export function entryName(key: CacheKey): string {
  return entryFileName(keyString(key));
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

  /**
   * Every well-formed entry with its key (status, logout, revoke): the key is read from the
   * entry and must hash to the entry's file name, so a planted or renamed file is skipped.
   * Cold: the hot path reads one entry by key.
   */
  list(): Array<{ key: CacheKey; token: CachedToken }> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: Array<{ key: CacheKey; token: CachedToken }> = [];
    for (const name of names) {
      if (!/^[0-9a-f]{64}\.json$/.test(name)) continue;
      let text: string | undefined;
      try {
        text = readPrivateFile(path.join(this.dir, name));
      } catch {
        continue; // unsafe entries are the hot path's to report
      }
      const key = text === undefined ? undefined : keyOfEntry(text);
      if (!key || entryName(key) !== name) continue;
      const token = decodeEntry(text!, key);
      if (token) out.push({ key, token });
    }
    return out;
  }

  /** Drops the entry for key, whatever it holds (logout and revoke, after the server said so). */
  remove(key: CacheKey): void {
    removeQuietly(this.file(key));
  }

  lockPath(key: CacheKey): string {
    return `${this.file(key)}.lock`;
  }
}

/** Decodes an entry's text for key; undefined for anything but a well-formed entry of that key. Never throws. */
export function decodeEntry(text: string, key: CacheKey): CachedToken | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.v !== 1 || e.key !== keyString(key)) return undefined;
  if (typeof e.plaintext !== 'string' || typeof e.secret !== 'string' || e.secret === '' || !e.plaintext.startsWith(e.secret)) return undefined;
  // Whatever ends up in the answer to git must be a valid protocol value: a planted or damaged
  // entry with CR, LF or NUL in it would otherwise add lines of its own.
  if (hasForbiddenChar(e.plaintext)) return undefined;
  if (e.expiresAt !== undefined && !Number.isSafeInteger(e.expiresAt)) return undefined;
  if (e.id !== undefined && (typeof e.id !== 'string' || hasForbiddenChar(e.id))) return undefined;
  return {
    plaintext: e.plaintext,
    secret: e.secret,
    expiresAt: e.expiresAt as number | undefined,
    ...(typeof e.id === 'string' ? { id: e.id } : {}),
  };
}

/** The key an entry's text says it is for; undefined unless all six fields are there. */
export function keyOfEntry(text: string): CacheKey | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const k = (raw as { key?: unknown } | null)?.key;
  if (typeof k !== 'string') return undefined;
  const parts = k.split('\n');
  // The account is empty for a namespace-scoped API (no account in its paths).
  if (parts.length !== 6 || parts.some((p, i) => p === '' && i !== 2)) return undefined;
  const [origin, apiUrl, account, namespace, repo, scope] = parts as [string, string, string, string, string, string];
  if (scope !== 'read' && scope !== 'write') return undefined;
  return { origin, apiUrl, account, namespace, repo, scope };
}
