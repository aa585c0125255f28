// Which logins exist and which store holds each: a small index (no secrets) in the user's
// config directory, written by `login` and `logout`. The mint path and `status` read it to
// know whether, and where, to look: without it every mint of a user who never signed in would
// start a keychain child (tens of ms, or the whole 3 s bound on a hung keyring) just to find
// nothing, and `status` would have to open the keychain to say where a token is.
import path from 'node:path';
import { ArtifactsError } from '../errors.js';
import { configDir, pathFor } from '../paths.js';
import { readPrivateFile, removeQuietly, writePrivateFile } from '../private-file.js';
import { FileStore, fileStorePath } from './file-store.js';
import { KeychainStore, type KeychainOptions } from './keychain-store.js';
import { decodeKeyedRows, sameKey, type StoreKey, type StoreKind, type TokenStore } from './token-store.js';

export interface LoginRow extends StoreKey {
  store: StoreKind;
}

export function loginsIndexPath(env: NodeJS.ProcessEnv, platform = process.platform): string {
  return pathFor(platform).join(configDir(env, platform), 'logins.json');
}

/** Never throws: a damaged or missing index lists no logins. */
export function decodeLogins(text: string): LoginRow[] {
  return decodeKeyedRows(text, (r) => (r.store === 'keychain' || r.store === 'file' ? { store: r.store } : undefined));
}

export function readLogins(env: NodeJS.ProcessEnv): LoginRow[] {
  try {
    const text = readPrivateFile(loginsIndexPath(env));
    return text === undefined ? [] : decodeLogins(text);
  } catch {
    // An unsafe index (a symlink, another user's file) is not one to trust.
    return [];
  }
}

/** What is wrong with the text of an index (pure), or undefined when it is a whole v1 index. */
export function indexTextProblem(text: string): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  const rows = (raw as { logins?: unknown } | null)?.logins;
  if ((raw as { v?: unknown } | null)?.v !== 1 || !Array.isArray(rows)) return 'it is not a version 1 login index ({"v": 1, "logins": [...]})';
  const bad = rows.length - decodeLogins(text).length;
  return bad > 0 ? `${bad} of its ${rows.length} entries are not valid logins` : undefined;
}

/**
 * A damaged index, named with its path and the fix (issue 21): read as "no logins" it would
 * say "not logged in", and a rewrite would drop the logins it lists while their tokens stay
 * in the keychain or the token file with nothing of ours pointing at them.
 */
export function loginsIndexProblem(env: NodeJS.ProcessEnv): ArtifactsError | undefined {
  const file = loginsIndexPath(env);
  let why: string | undefined;
  try {
    const text = readPrivateFile(file);
    why = text === undefined ? undefined : indexTextProblem(text);
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  if (why === undefined) return undefined;
  return new ArtifactsError('config.invalid', `the login index ${file} is damaged: ${why}`, {
    hint: `repair it (it holds no secrets) or move it aside with \`mv ${file} ${file}.bak\` and run \`login\` again; nothing was changed`,
  });
}

function writeLogins(env: NodeJS.ProcessEnv, rows: LoginRow[]): void {
  const file = loginsIndexPath(env);
  // Never rewrite a damaged index: what it lists would be lost (loginsIndexProblem).
  const problem = loginsIndexProblem(env);
  if (problem) throw problem;
  if (rows.length === 0) return removeQuietly(file);
  const logins = rows.map((r) => ({ apiUrl: r.apiUrl, ...(r.account === undefined ? {} : { account: r.account }), store: r.store }));
  writePrivateFile(path.dirname(file), file, `${JSON.stringify({ v: 1, logins }, null, 2)}\n`);
}

export function recordLogin(env: NodeJS.ProcessEnv, key: StoreKey, store: StoreKind): void {
  writeLogins(env, [...readLogins(env).filter((r) => !sameKey(r, key)), { ...key, store }]);
}

export function forgetLogin(env: NodeJS.ProcessEnv, key: StoreKey): void {
  writeLogins(env, readLogins(env).filter((r) => !sameKey(r, key)));
}

/** The stores, built from the environment (tests give their own). */
export interface Stores {
  keychain: TokenStore & { unavailableReason?(): string | undefined };
  /** `file` is its path, for messages. */
  file: TokenStore & { file: string };
}

export function defaultStores(env: NodeJS.ProcessEnv, keychain: Partial<KeychainOptions> = {}): Stores {
  return { keychain: new KeychainStore({ env, ...keychain }), file: new FileStore(fileStorePath(env)) };
}

export function storeOf(stores: Stores, kind: StoreKind): TokenStore {
  return kind === 'keychain' ? stores.keychain : stores.file;
}

/**
 * The login a mint for (apiUrl, account) would use: the one for that account, else the one
 * for the whole API URL (docs/credential-flow.md, "Where the API token comes from"). Reads
 * only the index, never a token.
 */
export function loginFor(rows: readonly LoginRow[], apiUrl: string, account: string | undefined): LoginRow | undefined {
  const exact = account === undefined ? undefined : rows.find((r) => r.apiUrl === apiUrl && r.account === account);
  return exact ?? rows.find((r) => r.apiUrl === apiUrl && r.account === undefined);
}
