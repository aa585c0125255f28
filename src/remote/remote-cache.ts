// Resolved remotes (artifacts://ns/repo -> https URL), one private JSON file per (API URL,
// account, namespace, repo) beside the token cache: same directory rules (0700, ours), same
// file rules (0600, O_NOFOLLOW, write-then-rename). A remote URL is not a secret, but a
// planted file would redirect our pushes, so it gets the same care as a token.
import path from 'node:path';
import { entryFileName, readPrivateFile, writePrivateFile } from '../private-file.js';

export interface RemoteKey {
  apiUrl: string;
  account: string;
  namespace: string;
  repo: string;
}

/** A resolved remote stays valid this long; the API is asked again afterwards. */
export const remoteTtlMs = 60 * 60 * 1000;

function keyString(key: RemoteKey): string {
  return [key.apiUrl, key.account, key.namespace, key.repo].join('\n');
}

export class RemoteCache {
  constructor(readonly dir: string) {}

  private file(key: RemoteKey): string {
    return path.join(this.dir, entryFileName(keyString(key)));
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
    writePrivateFile(this.dir, this.file(key), JSON.stringify({ v: 1, key: keyString(key), remote, at: now }));
  }
}
