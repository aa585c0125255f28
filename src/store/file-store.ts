// The file store: signed-in API tokens in one 0600 JSON file in a 0700 directory under the
// user's config directory (paths.ts configDir), written atomically (private-file.ts). Used
// where no keychain is usable (no D-Bus session, headless servers, containers) and with
// `login --insecure-storage`, as gh does (https://cli.github.com/manual/gh_auth_login).
import path from 'node:path';
import { hasForbiddenChar } from '../forbidden-char.js';
import { configDir, pathFor } from '../paths.js';
import { readPrivateFile, removeQuietly, writePrivateFile } from '../private-file.js';
import { decodeKeyedRows, sameKey, type StoreKey, type TokenStore } from './token-store.js';

interface Row extends StoreKey {
  token: string;
}

export function fileStorePath(env: NodeJS.ProcessEnv, platform = process.platform): string {
  return pathFor(platform).join(configDir(env, platform), 'api-tokens.json');
}

/** Rows of a store file; anything malformed is left out (a damaged file holds no login). Never throws. */
export function decodeRows(text: string): Row[] {
  return decodeKeyedRows(text, (r) =>
    typeof r.token === 'string' && r.token !== '' && !hasForbiddenChar(r.token) && !/\s/.test(r.token) ? { token: r.token } : undefined,
  );
}

export class FileStore implements TokenStore {
  readonly kind = 'file' as const;
  readonly label: string;

  constructor(readonly file: string) {
    this.label = `file ${file}`;
  }

  private rows(): Row[] {
    const text = readPrivateFile(this.file);
    return text === undefined ? [] : decodeRows(text);
  }

  private save(rows: Row[]): void {
    if (rows.length === 0) {
      removeQuietly(this.file);
      return;
    }
    const logins = rows.map((r) => (r.account === undefined ? { apiUrl: r.apiUrl, token: r.token } : { apiUrl: r.apiUrl, account: r.account, token: r.token }));
    writePrivateFile(path.dirname(this.file), this.file, `${JSON.stringify({ v: 1, logins }, null, 2)}\n`);
  }

  async get(key: StoreKey): Promise<string | undefined> {
    return this.rows().find((r) => sameKey(r, key))?.token;
  }

  async set(key: StoreKey, token: string): Promise<void> {
    const rows = this.rows().filter((r) => !sameKey(r, key));
    this.save([...rows, { ...key, token }]);
  }

  async delete(key: StoreKey): Promise<boolean> {
    const rows = this.rows();
    const kept = rows.filter((r) => !sameKey(r, key));
    if (kept.length === rows.length) return false;
    this.save(kept);
    return true;
  }

  async list(): Promise<StoreKey[]> {
    return this.rows().map((r) => (r.account === undefined ? { apiUrl: r.apiUrl } : { apiUrl: r.apiUrl, account: r.account }));
  }
}
