// The network checks of one configured origin: the API reachable, the token valid, and the
// clock against the API's Date header; with a repository, what git would really get
// (repo-probe.ts) and the cached tokens a `get` would serve (cached-tokens.ts).
import { chainFor, describeApiTokenSource, findToken } from '../auth/api-token.js';
import type { HttpAnswer } from '../controlplane/http-request.js';
import { apiShape } from '../endpoint/api-shape.js';
import { cloudflareApiUrl } from '../endpoint/endpoint.js';
import { errorText, isArtifactsError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { noTrace } from '../trace.js';
import { cachedTokenChecks } from './cached-tokens.js';
import { fail, ok, type Check } from './check.js';
import { checkClockSkew, checkTokenSource } from './facts.js';
import { apiTimeoutMs, type DoctorDeps } from './gather.js';
import type { Configured } from './origins.js';
import { permissionProbe } from './repo-probe.js';

const apiMaxBodyBytes = 1 << 20;

interface FoundToken {
  source: Check;
  /** Where the token came from, in words (`CLOUDFLARE_API_TOKEN`, `keychain`, …). */
  from: string;
  token: string;
}

/** The source a mint would use and its token, or the failures that say why there is none. */
async function apiToken(deps: DoctorDeps, c: Configured): Promise<FoundToken | Check[]> {
  const target = { apiUrl: c.apiUrl, ...(apiShape(c.apiUrl) === 'account' && c.account ? { account: c.account } : {}) };
  const chain = chainFor(target, deps.io.env);
  const report = await describeApiTokenSource(deps.io.env, target, {}, chain);
  const source = checkTokenSource(report, c.apiUrl);
  if (source.status === 'fail') return [source];
  try {
    // Verifying needs no account, so a Cloudflare block without one is checked too.
    const token = (await findToken(chain, deps.io.env, deps.now() + apiTimeoutMs, target, noTrace, deps.now)).token;
    rememberSecret(token);
    return { source, from: report.source, token };
  } catch (e) {
    return [source, fail('api-token', `cannot read the API token from ${report.source}: ${errorText(e)}`, isArtifactsError(e) ? e.hint : undefined)];
  }
}

interface Asked {
  res: HttpAnswer;
  sentMs: number;
  receivedMs: number;
}

/** One GET with the token; the api-reachable failure when no answer came. */
async function askApi(deps: DoctorDeps, c: Configured, token: string): Promise<Asked | Check> {
  // Namespace-scoped APIs have no verify route; a namespace read tells a taken JWT from a refused one.
  const probe = apiShape(c.apiUrl) === 'namespace' ? '/namespaces/default' : '/user/tokens/verify';
  const sentMs = deps.now();
  try {
    // node:http with a bound on the whole exchange and on the body, no redirects followed
    // (http-request.ts): a hostile or broken API must not make doctor read gigabytes.
    const res = await deps.http({ method: 'GET', url: c.apiUrl.replace(/\/+$/, '') + probe, headers: { authorization: `Bearer ${token}` }, timeoutMs: apiTimeoutMs, maxBodyBytes: apiMaxBodyBytes });
    return { res, sentMs, receivedMs: deps.now() };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'TIMEOUT'
      ? `no answer within ${apiTimeoutMs / 1000} s`
      : code === 'BODY_TOO_LARGE' ? (e as Error).message : String(code ?? (e as Error).message);
    return fail('api-reachable', `${c.apiUrl} is not reachable (${why})`, 'check the network, a proxy (HTTPS_PROXY) and the --api-url configure was given');
  }
}

/** What the API's answer says of the token from `from`. Pure. */
export function judgeToken(apiUrl: string, from: string, res: Pick<HttpAnswer, 'status' | 'body'>): Check {
  const shape = apiShape(apiUrl);
  let body: { result?: { status?: unknown } } | undefined;
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    body = undefined;
  }
  const what = shape === 'namespace' ? 'gateway JWT' : 'API token';
  const fix = shape === 'namespace' ? `git-credential-artifacts login --api-url ${apiUrl} (a current gateway JWT)` : `git-credential-artifacts login${apiUrl === cloudflareApiUrl ? '' : ` --api-url ${apiUrl}`} with a token that has "Artifacts Edit" (https://dash.cloudflare.com/profile/api-tokens)`;
  if (res.status === 401 || res.status === 403) {
    return fail('api-token', `${apiUrl} refuses the ${what} from ${from} (${res.status}): invalid, expired or revoked`, fix);
  }
  const status = body?.result?.status;
  if (shape === 'account' && (res.status !== 200 || status !== 'active')) {
    return fail('api-token', `the API token from ${from} is not active (${res.status}${typeof status === 'string' ? `, ${status}` : ''})`, fix);
  }
  return ok('api-token', `${apiUrl} accepts the ${what} from ${from}`);
}

/** The API checks of c; with probeUrl (doctor was given a repository) the repository's too. */
export async function apiChecks(deps: DoctorDeps, c: Configured, probeUrl?: string): Promise<Check[]> {
  const found = await apiToken(deps, c);
  if (Array.isArray(found)) return found;
  const asked = await askApi(deps, c, found.token);
  if ('id' in asked) return [found.source, asked];
  const { res, sentMs, receivedMs } = asked;
  const verdict = judgeToken(c.apiUrl, found.from, res);
  const skew = checkClockSkew(res.header('date') ?? undefined, sentMs, receivedMs);
  const checks = [found.source, ok('api-reachable', `${c.apiUrl} answered ${res.status}`), skew, verdict];
  if (verdict.status === 'ok' && probeUrl) {
    checks.push(...(await permissionProbe(deps, c, found.token, probeUrl)));
    checks.push(...(await cachedTokenChecks(deps.cache, { url: probeUrl, apiUrl: c.apiUrl, account: c.account }, deps.now())));
  }
  return checks;
}
