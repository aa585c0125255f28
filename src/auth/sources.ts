// The places a control-plane credential can come from. Each can be asked for the token (a mint)
// or, without reading any secret, whether it would answer (status, doctor): both walk the same
// chain (token-lookup.ts), so what status says is what a mint does.
import { ArtifactsError } from '../errors.js';
import { onPath } from '../on-path.js';
import { fileStorePath } from '../store/file-store.js';
import { defaultStores, loginFor, readLogins, storeOf, type LoginRow, type Stores } from '../store/logins.js';
import { describeKey } from '../store/token-store.js';

/** Which endpoint the token is for: stored logins are per API URL and account. */
export interface ApiTokenTarget {
  apiUrl: string;
  account?: string;
}

/** A token and the name of where it came from, as status and the trace say it. */
export interface FoundApiToken {
  token: string;
  source: string;
}

export interface SourceReport {
  /** `CLOUDFLARE_API_TOKEN`, `keychain`, `file <path>`, `wrangler`, `wrangler (installed)`, `none`, … */
  source: string;
  /** The stored login that would be used, when it is one. */
  login?: LoginRow;
}

export interface PeekOptions {
  /** Run wrangler to tell a valid login from an expired one (seconds): `status --check`. */
  askWrangler?: boolean;
  /** The clock asking wrangler is bounded on (the caller's injected one). */
  now?: () => number;
}

export interface ApiTokenSource {
  name: string;
  /** `now` is the clock deadline is read on. */
  get(env: NodeJS.ProcessEnv, deadline: number, target: ApiTokenTarget, now: () => number): Promise<FoundApiToken | undefined>;
  /** Whether get would answer, by name, reading no token; undefined when it would not. */
  peek(env: NodeJS.ProcessEnv, target: ApiTokenTarget, o: PeekOptions): Promise<SourceReport | undefined>;
}

/** An environment variable holding the token. */
export function envSource(variable: string): ApiTokenSource {
  const value = (env: NodeJS.ProcessEnv) => env[variable]?.trim() || undefined;
  return {
    name: variable,
    get: async (env) => {
      const token = value(env);
      return token ? { token, source: variable } : undefined;
    },
    peek: async (env) => (value(env) ? { source: variable } : undefined),
  };
}

/** The source name of a stored login: `keychain` or `file <path>`. */
export function loginSourceName(row: LoginRow, env: NodeJS.ProcessEnv): string {
  return row.store === 'keychain' ? 'keychain' : `file ${fileStorePath(env)}`;
}

/** The stored login (`login`) for exactly the target's URL, found through the index (store/logins.ts); stores injectable for tests. */
export function storedSourceWith(stores: (env: NodeJS.ProcessEnv) => Stores): ApiTokenSource {
  return {
    name: 'stored login',
    get: async (env, _deadline, target) => {
      const row = loginFor(readLogins(env), target.apiUrl, target.account);
      if (!row) return undefined;
      const token = await storeOf(stores(env), row.store).get(row);
      if (!token) {
        const where = row.store === 'keychain' ? 'OS keychain' : `file ${fileStorePath(env)}`;
        throw new ArtifactsError('auth.missing', `the login for ${describeKey(row)} is gone from the ${where}`, {
          hint: 'sign in again: git-credential-artifacts login',
        });
      }
      return { token, source: loginSourceName(row, env) };
    },
    peek: async (env, target) => {
      const row = loginFor(readLogins(env), target.apiUrl, target.account);
      return row ? { source: loginSourceName(row, env), login: row } : undefined;
    },
  };
}

export const storedSource: ApiTokenSource = storedSourceWith(defaultStores);

/**
 * `wrangler auth token --json` (wrangler.ts). Without askWrangler, peek only says it is
 * installed: asking it takes seconds.
 */
export const wranglerSource: ApiTokenSource = {
  name: 'wrangler',
  get: async (env, deadline, _target, now) => {
    const { runWranglerAuthToken } = await import('./wrangler.js');
    const token = await runWranglerAuthToken(env, deadline, now);
    return token ? { token, source: 'wrangler' } : undefined;
  },
  peek: async (env, _target, o) => {
    if (!onPath('wrangler', env)) return undefined;
    if (!o.askWrangler) return { source: 'wrangler (installed)' };
    try {
      const { runWranglerAuthToken } = await import('./wrangler.js');
      const now = o.now ?? Date.now;
      return (await runWranglerAuthToken(env, now() + 10_000, now)) ? { source: 'wrangler' } : undefined;
    } catch (e) {
      return { source: `wrangler (${e instanceof ArtifactsError && e.code === 'auth.missing' ? 'installed, not logged in' : 'installed, did not answer'})` };
    }
  },
};
