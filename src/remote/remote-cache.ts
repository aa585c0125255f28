// Resolved remotes (artifacts://ns/repo -> https URL), one private JSON file per (API URL,
// account, namespace, repo) beside the token cache: same directory rules (0700, ours), same
// file rules (0600, O_NOFOLLOW, write-then-rename). A remote URL is not a secret, but a
// planted file would redirect our pushes, so it gets the same care as a token.
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, readPrivateFile } from '../token/cache.js';

export interface RemoteKey {
  apiUrl: string;
  account: string;
  namespace: string;
  repo: string;
}

/** A resolved remote stays valid this long; the API is asked again afterwards. */
export const remoteTtlMs = 60 * 60 * 1000;

const noFollow = process.platform === 'win32' ? 0 : constants.O_NOFOLLOW;

function keyString(key: RemoteKey): string {
  return [key.apiUrl, key.account, key.namespace, key.repo].join('\n');
}

export class RemoteCache {
  constructor(readonly dir: string) {}

  private file(key: RemoteKey): string {
    return path.join(this.dir, `${Buffer.from(keyString(key)).toString('base64url')}.json`);
  }

  /** The cached remote for key if younger than the TTL; a corrupt entry reads as missing. */
  read(key: RemoteKey, now: number): string | undefined {
    const text = readPrivateFile(this.file(key));
    if (text === undefined) return undefined;
    try {
      const e = JSON.parse(text) as { v?: unknown; key?: unknown; remote?: unknown; at?: unknown };
      if (e.v !== 1 || e.key !== keyString(key) || typeof e.remote !== 'string' || typeof e.at !== 'number') return undefined;
      return now - e.at >= 0 && now - e.at < remoteTtlMs ? e.remote : undefined;
    } catch {
      return undefined;
    }
  }

  write(key: RemoteKey, remote: string, now: number): void {
    ensurePrivateDir(this.dir);
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    try {
      writeSync(fd, JSON.stringify({ v: 1, key: keyString(key), remote, at: now }));
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, file);
    } catch (e) {
      unlinkSync(tmp);
      throw e;
    }
  }
}
