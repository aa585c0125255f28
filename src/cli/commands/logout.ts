// `logout`: revoke every unexpired repo token we cached for the login's endpoint and account,
// with the stored API token while we still have it, then forget the tokens and the login.
// Local state is cleared even when the server cannot be told (offline): what failed is said.
// What could not be removed (an API token in a keychain that does not answer) stays reachable:
// its login is kept, so the next `logout` tries again.
import { ArtifactsError, errorText, isArtifactsError } from '../../errors.js';
import { say } from '../../report.js';
import { forgetLogin, loginsIndexProblem, readLogins, storeOf, type LoginRow } from '../../store/logins.js';
import { describeKey, storeKey } from '../../store/token-store.js';
import { credentialTool } from '../../names.js';
import type { Deps } from '../deps.js';
import { loginTarget } from '../endpoint-target.js';
import { describeRevoked, revokedJson, revokeEntries, type CacheEntry, type RevokedJson } from '../revoke-tokens.js';
import { whileSlow } from '../slow-notice.js';
import { redact } from '../../redact.js';

export interface LogoutOptions {
  account?: string;
  apiUrl?: string;
  all?: boolean;
  json?: boolean;
}

/** `logout --json`: what happened to each login and each of its cached repo tokens (stable keys, no secret). */
interface LogoutJson {
  logged_out: Array<{ api_url: string; account: string | null; store: string; token_removed: boolean }>;
  kept: Array<{ api_url: string; account: string | null; error: string }>;
  tokens: RevokedJson[];
}

const tool = credentialTool;

export async function logout(o: LogoutOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  const damaged = loginsIndexProblem(io.env);
  if (damaged) throw damaged;
  const rows = readLogins(io.env);
  const chosen = o.all ? rows : await pick(rows, o, deps);
  if (chosen.length === 0) {
    throw new ArtifactsError('auth.missing', 'not logged in', { hint: 'nothing to log out of; `git-credential-artifacts status` shows what a mint would use' });
  }
  let failed = 0;
  let kept = 0;
  const entries = deps.cache.list();
  const json: LogoutJson | undefined = o.json ? { logged_out: [], kept: [], tokens: [] } : undefined;
  await whileSlow(io.stderr, 'logging out: revoking cached repo tokens and removing the stored API token...', async () => {
    for (const row of chosen) {
      const r = await logoutOne(row, entries.filter((e) => servedBy(row, e, rows)), deps, json);
      failed += r.failed;
      if (r.kept) kept++;
    }
  });
  if (json) io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  if (kept) {
    say(
      tool,
      io.stderr,
      'hint: a login whose API token could not be removed is kept, with its cached repo tokens: ' +
        'run `git-credential-artifacts logout` again once the OS keychain answers (unlock it)',
    );
  } else if (failed) {
    say(tool, io.stderr, 'hint: the local state is cleared; revoke what is left in the Cloudflare dashboard, or it expires on its own');
  }
  return failed || kept ? 1 : 0;
}

/**
 * One login: revoke its repo tokens, then remove its API token from the store, and forget the
 * login only once that removal is certain. A keychain that does not answer (issue 21, L1)
 * leaves the login, its token and its repo tokens where the next `logout` finds them again.
 */
async function logoutOne(row: LoginRow, mine: CacheEntry[], deps: Deps, json: LogoutJson | undefined): Promise<{ failed: number; kept: boolean }> {
  const { io } = deps;
  const store = storeOf(deps.stores, row.store);
  const where = row.store === 'keychain' ? 'the OS keychain' : deps.stores.file.file;
  let apiToken: string | undefined;
  let why = '';
  let unusable = false;
  try {
    apiToken = await store.get(row);
  } catch (e) {
    why = errorText(e);
    // A keychain that just failed (hung, locked) is not asked again to delete: that would
    // cost its time bound a second time.
    unusable = isArtifactsError(e) && e.code === 'store.unavailable';
  }
  const readFailure = () => new ArtifactsError('auth.missing', `the stored API token could not be read${why ? ` (${why})` : ''}`);
  // Repo tokens that could not be revoked for want of the API token stay cached when the login stays.
  const results = await revokeEntries(mine, async () => apiToken ?? Promise.reject(readFailure()), deps, { keepFailed: unusable });
  let failed = 0;
  for (const r of results) {
    if (r.outcome === 'failed') failed++;
    json?.tokens.push(revokedJson(r));
    if (r.outcome === 'failed') say(tool, io.stderr, describeRevoked(r));
    else if (!json) io.stdout.write(`${describeRevoked(r)}\n`);
  }
  let removed: boolean;
  try {
    if (unusable) throw new ArtifactsError('store.unavailable', why);
    removed = await store.delete(row);
  } catch (e) {
    const error = errorText(e);
    say(tool, io.stderr, `could not remove the API token of ${describeKey(row)} from ${where}: ${error}; the login is kept`);
    json?.kept.push({ api_url: row.apiUrl, account: row.account ?? null, error: redact(error) });
    return { failed: failed + 1, kept: true };
  }
  forgetLogin(io.env, row);
  json?.logged_out.push({ api_url: row.apiUrl, account: row.account ?? null, store: row.store, token_removed: removed });
  const gone = removed ? `the API token was removed from ${where}` : `its API token was no longer in ${where}`;
  if (!json) io.stdout.write(`Logged out of ${describeKey(row)}; ${gone}.\n`);
  return { failed, kept: false };
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
