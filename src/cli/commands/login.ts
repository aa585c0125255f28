// `login`: sign in once with a Cloudflare API token, checked before it is kept, in the OS
// keychain where there is one and else in a private file (saying so, as gh does:
// https://cli.github.com/manual/gh_auth_login). Every later mint, from any process of this
// user (an IDE, a GUI git client, cron), finds it (src/auth/api-token.ts).
import { chainFor } from '../../auth/api-token.js';
import { apiShape } from '../../endpoint/api-shape.js';
import { ArtifactsError, isArtifactsError } from '../../errors.js';
import { rememberSecret } from '../../redact.js';
import { say } from '../../report.js';
import { loginsIndexProblem, recordLogin } from '../../store/logins.js';
import type { StoreKey, StoreKind } from '../../store/token-store.js';
import { credentialTool } from '../../names.js';
import type { Deps } from '../deps.js';
import { loginTarget } from '../endpoint-target.js';
import { isTerminal, readHidden, readTokenFromStdin } from '../prompt.js';
import { whileSlow } from '../slow-notice.js';

export interface LoginOptions {
  withToken?: boolean;
  account?: string;
  apiUrl?: string;
  insecureStorage?: boolean;
  json?: boolean;
}

const tool = credentialTool;
const verifyTimeoutMs = 10_000;
const tokenHelp = 'create one at https://dash.cloudflare.com/profile/api-tokens with the "Artifacts Edit" permission';

export async function login(o: LoginOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  const target = await loginTarget(o, deps);
  // A namespace-scoped API (routes.ts apiShape) takes the deployment's gateway JWT and has no
  // accounts; its login is what gateway-jwt.ts reads after ARTIFACTS_JWT.
  const gateway = apiShape(target.apiUrl) === 'namespace';
  if (gateway && o.account !== undefined) {
    throw new ArtifactsError('usage', `${target.apiUrl} is a namespace-scoped API: it has no accounts`, { hint: 'drop --account' });
  }
  const key: StoreKey = gateway ? { apiUrl: target.apiUrl } : target;
  // Before the token is asked for or stored: a login the index cannot record would be orphaned.
  const damaged = loginsIndexProblem(io.env);
  if (damaged) throw damaged;
  const token = await readToken(o, deps, gateway);
  rememberSecret(token);
  const check = () => (gateway ? verifyGateway(key, token, deps) : verify(key, token, deps));
  const id = await whileSlow(io.stderr, `checking the ${gateway ? 'gateway JWT' : 'API token'} with ${key.apiUrl}...`, check);
  const kept = await keep(key, token, o.insecureStorage === true, deps);
  const whom = gateway ? '' : ` for ${key.account === undefined ? 'every account' : `account ${key.account}`}`;
  if (o.json) {
    const file = kept.kind === 'file' ? deps.stores.file.file : null;
    const tokenId = gateway || id === '(no id)' ? null : id;
    io.stdout.write(`${JSON.stringify({ api_url: key.apiUrl, account: key.account ?? null, store: kept.kind, file, token_id: tokenId }, null, 2)}\n`);
  } else {
    const what = gateway ? 'gateway JWT' : `API token ${id}`;
    io.stdout.write(`Logged in to ${key.apiUrl}${whom} (${what}); the ${gateway ? 'JWT' : 'token'} is kept in ${kept.where}.\n`);
  }
  // As gh does for GH_TOKEN: the environment wins over a login (api-token.ts), so say so; which
  // variable that is depends on the API URL (CLOUDFLARE_API_TOKEN, ARTIFACTS_API_TOKEN, ARTIFACTS_JWT).
  const shadow = chainFor(key, io.env).sources[0]!.name;
  if (io.env[shadow]?.trim()) say(tool, io.stderr, `note: ${shadow} is set in this environment, and processes that have it use it instead of this login`);
  return 0;
}

/**
 * A gateway has no verify route: any read answers 401/403 to a credential it does not take,
 * and 200 or 404 to one it does. Reading a namespace changes nothing.
 */
async function verifyGateway(key: StoreKey, jwt: string, deps: Deps): Promise<string> {
  try {
    const deadline = deps.now() + verifyTimeoutMs;
    await deps.api('GET', '/namespaces/default', undefined, { apiUrl: key.apiUrl, apiToken: jwt, deadline, now: deps.now, what: 'check the gateway JWT' });
  } catch (e) {
    if (isArtifactsError(e) && e.code === 'auth.rejected') {
      throw new ArtifactsError('auth.rejected', `${key.apiUrl} does not accept this gateway JWT (invalid or expired); nothing was stored`, {
        hint: "ask the deployment's operator for a current gateway JWT",
      });
    }
    if (!isArtifactsError(e) || e.code !== 'api.not_found') throw stored(e);
  }
  return 'gateway JWT';
}

async function readToken(o: LoginOptions, deps: Deps, gateway: boolean): Promise<string> {
  const { io } = deps;
  let token: string;
  if (o.withToken) token = await readTokenFromStdin(io);
  else if (isTerminal(io)) {
    if (gateway) io.stderr.write("Paste the deployment's gateway JWT.\n");
    else io.stderr.write(`Paste a Cloudflare API token (${tokenHelp}).\n`);
    token = await readHidden(io, gateway ? 'Gateway JWT: ' : 'API token: ');
  } else {
    throw new ArtifactsError('usage', 'no terminal to ask for the API token on', {
      hint: 'pipe it in instead: `git-credential-artifacts login --with-token < token.txt`',
    });
  }
  // An API token is a printable word: anything else is a paste gone wrong, not a token.
  if (token === '' || token.length > 16384 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ArtifactsError('input.invalid', 'that does not look like an API token (expected one word of printable ASCII)', { hint: tokenHelp });
  }
  return token;
}

/** The token's id (from the verify call); throws with what is wrong and what to do. */
async function verify(key: StoreKey, token: string, deps: Deps): Promise<string> {
  const deadline = deps.now() + verifyTimeoutMs;
  const request = (path: string, what: string) => deps.api('GET', path, undefined, { apiUrl: key.apiUrl, apiToken: token, deadline, now: deps.now, what });
  let result: unknown;
  try {
    result = await request('/user/tokens/verify', 'verify the API token');
  } catch (e) {
    if (isArtifactsError(e) && e.code === 'auth.rejected') {
      const message = `${key.apiUrl} does not accept this API token (invalid, expired or revoked); nothing was stored`;
      throw new ArtifactsError('auth.rejected', message, { hint: tokenHelp });
    }
    throw stored(e);
  }
  const r = (result ?? {}) as { id?: unknown; status?: unknown };
  if (r.status !== 'active') {
    const status = typeof r.status === 'string' ? JSON.stringify(r.status) : 'not active';
    throw new ArtifactsError('auth.rejected', `the API token is ${status}; nothing was stored`, { hint: tokenHelp });
  }
  if (key.account !== undefined) {
    // A harmless Artifacts read: a valid token without Artifacts permission on this account
    // would otherwise only fail at the first clone.
    try {
      await request(`/accounts/${encodeURIComponent(key.account)}/artifacts/namespaces`, `list Artifacts namespaces of account ${key.account}`);
    } catch (e) {
      if (isArtifactsError(e) && (e.code === 'auth.rejected' || e.code === 'api.not_found')) {
        throw new ArtifactsError('auth.rejected', `the API token is valid but cannot use Artifacts in account ${key.account}; nothing was stored`, {
          hint: `edit the token at https://dash.cloudflare.com/profile/api-tokens to give it "Artifacts Edit" on account ${key.account}, and check the account id`,
        });
      }
      throw stored(e);
    }
  }
  return typeof r.id === 'string' && /^[\x21-\x7e]{1,128}$/.test(r.id) ? r.id : '(no id)';
}

function stored(e: unknown): unknown {
  return isArtifactsError(e) ? new ArtifactsError(e.code, `${e.message}; nothing was stored`, { hint: e.hint }) : e;
}

/** Keeps the token in exactly one store, and says where. */
async function keep(key: StoreKey, token: string, insecure: boolean, deps: Deps): Promise<{ kind: StoreKind; where: string }> {
  const { io, stores } = deps;
  let kind: StoreKind = 'file';
  const reason = stores.keychain.unavailableReason?.();
  let keychainFailed = reason !== undefined;
  if (!insecure) {
    if (reason) say(tool, io.stderr, `no OS keychain here (${reason}); keeping the token in a private file instead`);
    else {
      try {
        await stores.keychain.set(key, token);
        kind = 'keychain';
      } catch (e) {
        if (!isArtifactsError(e) || e.code !== 'store.unavailable') throw e;
        keychainFailed = true;
        say(tool, io.stderr, `${e.message}; keeping the token in a private file instead`);
      }
    }
  }
  if (kind === 'file') await stores.file.set(key, token);
  recordLogin(io.env, key, kind);
  // Never both: a login kept in one store leaves no copy in the other.
  if (kind === 'keychain') await stores.file.delete(key);
  else if (!keychainFailed) await stores.keychain.delete(key).catch(() => false);
  return { kind, where: kind === 'keychain' ? 'the OS keychain' : `${stores.file.file} (readable only by you)` };
}
