// The control-plane credential (a Cloudflare API token with Artifacts Edit), from the first
// source that has one (docs/credential-flow.md, "Where the API token comes from"):
// CLOUDFLARE_API_TOKEN, then the login stored for (API URL, account), then the login for the
// API URL, then `wrangler auth token --json`
// (docs/git-and-artifacts-behaviour.md, "wrangler auth token --json"; we never read
// wrangler's files: they move, may be encrypted, and skip OAuth refresh). Only a mint comes
// here: the cached `get` never reads a store or starts wrangler.
import { apiShape, type ControlPlane } from '../controlplane/routes.js';
import { ArtifactsError } from '../errors.js';
import { onPath } from '../on-path.js';
import { rememberSecret } from '../redact.js';
import { fileStorePath } from '../store/file-store.js';
import { defaultStores, loginFor, readLogins, storeOf, type LoginRow, type Stores } from '../store/logins.js';
import { describeKey } from '../store/token-store.js';
import { noTrace, type Trace } from '../trace.js';

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

export interface ApiTokenSource {
  name: string;
  get(env: NodeJS.ProcessEnv, deadline: number, target: ApiTokenTarget | undefined): Promise<string | FoundApiToken | undefined>;
}

export const envSource: ApiTokenSource = {
  name: 'CLOUDFLARE_API_TOKEN',
  get: async (env) => env.CLOUDFLARE_API_TOKEN?.trim() || undefined,
};

/** The source name of a stored login: `keychain` or `file <path>`. */
export function loginSourceName(row: LoginRow, env: NodeJS.ProcessEnv): string {
  return row.store === 'keychain' ? 'keychain' : `file ${fileStorePath(env)}`;
}

/** The stored login (`login`), found through the index (store/logins.ts); stores injectable for tests. */
export function storedSourceWith(stores: (env: NodeJS.ProcessEnv) => Stores): ApiTokenSource {
  return {
    name: 'stored login',
    get: async (env, _deadline, target) => {
      if (!target) return undefined;
      const row = loginFor(readLogins(env), target.apiUrl, target.account);
      if (!row) return undefined;
      const token = await storeOf(stores(env), row.store).get(row);
      if (!token) {
        throw new ArtifactsError('auth.missing', `the login for ${describeKey(row)} is gone from the ${row.store === 'keychain' ? 'OS keychain' : `file ${fileStorePath(env)}`}`, {
          hint: 'sign in again: git-credential-artifacts login',
        });
      }
      return { token, source: loginSourceName(row, env) };
    },
  };
}

export const storedSource: ApiTokenSource = storedSourceWith(defaultStores);

export const wranglerSource: ApiTokenSource = {
  name: 'wrangler',
  get: async (env, deadline) => {
    const { runWranglerAuthToken } = await import('./wrangler.js');
    return runWranglerAuthToken(env, deadline);
  },
};

export const defaultSources: readonly ApiTokenSource[] = [envSource, storedSource, wranglerSource];

export async function resolveApiToken(
  env: NodeJS.ProcessEnv,
  deadline: number,
  sources: readonly ApiTokenSource[] = defaultSources,
  trace: Trace = noTrace,
  target?: ApiTokenTarget,
): Promise<string> {
  for (const source of sources) {
    const got = await source.get(env, deadline, target);
    const found = typeof got === 'string' ? { token: got, source: source.name } : got;
    trace('api-token', { source: found?.source ?? source.name, found: found !== undefined });
    if (found?.token) {
      // Known by value from now on: whatever its format, no message or trace shows it.
      rememberSecret(found.token);
      return found.token;
    }
  }
  throw new ArtifactsError('auth.missing', 'no Cloudflare API token to mint repo tokens with', {
    hint: 'sign in once with `git-credential-artifacts login` (an API token with "Artifacts Edit" permission), or set CLOUDFLARE_API_TOKEN, or install wrangler and run `wrangler login`',
  });
}

export interface SourceReport {
  /** `CLOUDFLARE_API_TOKEN`, `keychain`, `file <path>`, `wrangler`, `wrangler (installed)`, `none`, … */
  source: string;
  /** The stored login that would be used, when it is one. */
  login?: LoginRow;
}

/**
 * The source a mint for target would use now, by name, without reading any token: for
 * `status` and `doctor`. wrangler is only run (to tell a valid login from an expired one) when
 * askWrangler is set, since it takes seconds; otherwise it is "wrangler (installed)".
 */
export async function describeApiTokenSource(env: NodeJS.ProcessEnv, target: ApiTokenTarget, o: { askWrangler?: boolean } = {}): Promise<SourceReport> {
  // A namespace-scoped API takes ARTIFACTS_JWT or its login, nothing else (gateway-jwt.ts).
  if (apiShape(target.apiUrl) === 'namespace') {
    if (env.ARTIFACTS_JWT?.trim()) return { source: 'ARTIFACTS_JWT' };
    const row = loginFor(readLogins(env), target.apiUrl, undefined);
    return row ? { source: loginSourceName(row, env), login: row } : { source: 'none' };
  }
  if (env.CLOUDFLARE_API_TOKEN?.trim()) return { source: 'CLOUDFLARE_API_TOKEN' };
  const row = loginFor(readLogins(env), target.apiUrl, target.account);
  if (row) return { source: loginSourceName(row, env), login: row };
  if (!onPath('wrangler', env)) return { source: 'none' };
  if (!o.askWrangler) return { source: 'wrangler (installed)' };
  try {
    const { runWranglerAuthToken } = await import('./wrangler.js');
    return { source: (await runWranglerAuthToken(env, Date.now() + 10_000)) ? 'wrangler' : 'none' };
  } catch (e) {
    return { source: `wrangler (${e instanceof ArtifactsError && e.code === 'auth.missing' ? 'installed, not logged in' : 'installed, did not answer'})` };
  }
}

/**
 * The credential for a control plane, by its shape: a Cloudflare API token (the chain above)
 * for the account-scoped API, a gateway JWT (gateway-jwt.ts) for a namespace-scoped one. Never
 * the other way round: a JWT is not sent to api.cloudflare.com, nor a Cloudflare token to a gateway.
 */
export async function controlPlaneToken(cp: ControlPlane, env: NodeJS.ProcessEnv, deadline: number, trace: Trace = noTrace): Promise<string> {
  if (cp.shape === 'namespace') return (await import('./gateway-jwt.js')).resolveGatewayJwt(env, cp.apiUrl, deadline, trace);
  return resolveApiToken(env, deadline, undefined, trace, { apiUrl: cp.apiUrl, account: cp.account });
}
