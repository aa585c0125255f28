// `logout`: revoke every unexpired repo token we cached for the login's endpoint and account,
// with the stored API token while we still have it, then forget the tokens and the login.
// Local state is cleared even when the server cannot be told (offline): what failed is said.
import { ArtifactsError, isArtifactsError } from '../../errors.js';
import { say } from '../../report.js';
import { forgetLogin, readLogins, storeOf, type LoginRow } from '../../store/logins.js';
import { describeKey, storeKey } from '../../store/token-store.js';
import { credentialTool } from '../../names.js';
import type { Deps } from '../deps.js';
import { loginTarget } from '../endpoint-target.js';
import { describeRevoked, revokeEntries, type CacheEntry } from '../revoke-tokens.js';

export interface LogoutOptions {
  account?: string;
  apiUrl?: string;
  all?: boolean;
}

const tool = credentialTool;

export async function logout(o: LogoutOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  const rows = readLogins(io.env);
  const chosen = o.all ? rows : await pick(rows, o, deps);
  if (chosen.length === 0) {
    throw new ArtifactsError('auth.missing', 'not logged in', { hint: 'nothing to log out of; `git-credential-artifacts status` shows what a mint would use' });
  }
  let failed = 0;
  const entries = deps.cache.list();
  for (const row of chosen) {
    const store = storeOf(deps.stores, row.store);
    let apiToken: string | undefined;
    let why = '';
    let unusable = false;
    try {
      apiToken = await store.get(row);
    } catch (e) {
      why = isArtifactsError(e) ? e.message : String(e);
      // A keychain that just failed (hung, locked) is not asked again to delete: that would
      // cost its time bound a second time.
      unusable = isArtifactsError(e) && e.code === 'store.unavailable';
    }
    const mine = entries.filter((e) => servedBy(row, e, rows));
    const results = await revokeEntries(
      mine,
      async () => {
        if (!apiToken) throw new ArtifactsError('auth.missing', `the stored API token could not be read${why ? ` (${why})` : ''}`);
        return apiToken;
      },
      deps,
      { keepFailed: false },
    );
    for (const r of results) {
      if (r.outcome === 'failed') failed++;
      (r.outcome === 'failed' ? (m: string) => say(tool, io.stderr, m) : (m: string) => io.stdout.write(`${m}\n`))(describeRevoked(r));
    }
    try {
      if (unusable) throw new ArtifactsError('store.unavailable', why);
      await store.delete(row);
    } catch (e) {
      say(tool, io.stderr, `could not remove the API token from the ${row.store === 'keychain' ? 'OS keychain' : 'file'}: ${isArtifactsError(e) ? e.message : String(e)}`);
      failed++;
    }
    forgetLogin(io.env, row);
    io.stdout.write(`Logged out of ${describeKey(row)}; the API token was removed from ${row.store === 'keychain' ? 'the OS keychain' : deps.stores.file.file}.\n`);
  }
  if (failed) say(tool, io.stderr, 'hint: the local state is cleared; revoke what is left in the Cloudflare dashboard, or it expires on its own');
  return failed ? 1 : 0;
}

/** The login named by the flags (or the defaults); without --account, the only one on that API URL. */
async function pick(rows: LoginRow[], o: LogoutOptions, deps: Deps): Promise<LoginRow[]> {
  if (o.account !== undefined) {
    const key = storeKey((await loginTarget(o, deps)).apiUrl, o.account);
    return rows.filter((r) => r.apiUrl === key.apiUrl && r.account === key.account);
  }
  const { apiUrl } = await loginTarget({ apiUrl: o.apiUrl }, deps);
  const onApi = rows.filter((r) => r.apiUrl === apiUrl);
  if (onApi.length > 1) {
    throw new ArtifactsError('usage', `there are ${onApi.length} logins on ${apiUrl}: ${onApi.map((r) => r.account ?? '(every account)').join(', ')}`, {
      hint: 'name one with --account ID, or log out of all with --all',
    });
  }
  return onApi;
}

/** Whether a cached repo token was minted for row's endpoint and account (api-token.ts order). */
export function servedBy(row: LoginRow, e: CacheEntry, rows: readonly LoginRow[]): boolean {
  if (e.key.apiUrl !== row.apiUrl) return false;
  if (row.account !== undefined) return e.key.account === row.account;
  return !rows.some((r) => r.apiUrl === row.apiUrl && r.account !== undefined && r.account === e.key.account);
}
