// Where a signed-in Cloudflare API token is kept (`login`): one TokenStore interface, two
// implementations (keychain-store.ts, file-store.ts), one contract suite for both
// (test/unit/store/contract.ts). A key is an API URL and, optionally, an account: a login
// without an account serves every account on that API URL (api-token.ts tries both).
import { accountPattern, parseApiUrl } from '../endpoint/endpoint.js';
import { ArtifactsError } from '../errors.js';

export interface StoreKey {
  /** Normalised like parseApiUrl: no trailing slash, so login and mint agree. */
  apiUrl: string;
  account?: string;
}

export type StoreKind = 'keychain' | 'file';

export interface TokenStore {
  readonly kind: StoreKind;
  /** How status names it: `keychain`, `file <path>`. */
  readonly label: string;
  /** The token for exactly this key, or undefined. Rejects (ArtifactsError) when the store cannot be used. */
  get(key: StoreKey): Promise<string | undefined>;
  set(key: StoreKey, token: string): Promise<void>;
  /** True when there was an entry to delete. */
  delete(key: StoreKey): Promise<boolean>;
  /** Every key held (never the tokens). */
  list(): Promise<StoreKey[]>;
}

export function storeKey(apiUrl: string, account?: string): StoreKey {
  const normal = parseApiUrl(apiUrl);
  if (account !== undefined && !accountPattern.test(account)) {
    throw new ArtifactsError('usage', `${JSON.stringify(account)} is not an account id (letters, digits, _ and -)`, {
      hint: 'find it in the dashboard URL or with `wrangler whoami`',
    });
  }
  return account === undefined ? { apiUrl: normal } : { apiUrl: normal, account };
}

export function sameKey(a: StoreKey, b: StoreKey): boolean {
  return a.apiUrl === b.apiUrl && a.account === b.account;
}

/**
 * The rows of a `{"v": 1, "logins": [...]}` file (the file store and the login index), each
 * with a key we would write ourselves (normalised, valid account) and no key twice; `fields`
 * reads a row's own fields, undefined leaving the row out. Never throws: a damaged file holds
 * no login.
 */
export function decodeKeyedRows<T extends object>(text: string, fields: (row: Record<string, unknown>) => T | undefined): Array<StoreKey & T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  const rows = (raw as { v?: unknown; logins?: unknown } | null)?.logins;
  if ((raw as { v?: unknown } | null)?.v !== 1 || !Array.isArray(rows)) return [];
  const out: Array<StoreKey & T> = [];
  for (const r of rows as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const row = r as Record<string, unknown>;
    if (typeof row.apiUrl !== 'string' || (row.account !== undefined && typeof row.account !== 'string')) continue;
    const own = fields(row);
    if (own === undefined) continue;
    try {
      const key = storeKey(row.apiUrl, row.account as string | undefined);
      if (key.apiUrl === row.apiUrl && !out.some((o) => sameKey(o, key))) out.push({ ...own, ...key });
    } catch {
      // Not a key we would write.
    }
  }
  return out;
}

/**
 * The keychain entry's user name: `<apiUrl>` or `<account>@<apiUrl>`, readable in Keychain
 * Access, Credential Manager and seahorse. An account never holds `@` (accountPattern) and an
 * API URL starts with a scheme, so the two forms cannot be confused.
 */
export function entryName(key: StoreKey): string {
  return key.account === undefined ? key.apiUrl : `${key.account}@${key.apiUrl}`;
}

/** The key an entry name stands for; undefined for an entry that is not one of ours. */
export function parseEntryName(name: string): StoreKey | undefined {
  const at = name.indexOf('@');
  const scheme = /^https?:\/\//i.test(name);
  const account = scheme ? undefined : name.slice(0, at);
  const apiUrl = scheme ? name : name.slice(at + 1);
  if (!scheme && (at <= 0 || !accountPattern.test(account!))) return undefined;
  try {
    const key = storeKey(apiUrl, account);
    return entryName(key) === name ? key : undefined;
  } catch {
    return undefined;
  }
}

/** For messages: `account 0123… on https://api.cloudflare.com/client/v4`. */
export function describeKey(key: StoreKey): string {
  return key.account === undefined ? `every account on ${key.apiUrl}` : `account ${key.account} on ${key.apiUrl}`;
}
