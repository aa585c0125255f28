// The REST control plane's dispatcher: which API a path is under (the shape as data: the
// account-scoped /client/v4 API with the API token, the namespace-scoped /v1/api and
// /edge/v1/api with the gateway JWT), the credential check, the route table, per-route faults
// (test aid), and the request log. Handlers return a Reply or throw a RestError.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject } from './body.js';
import type { Emu, Reply, RouteContext } from './context.js';
import { codes, failure, invalid, RestError, send, sendBytes, sendNoContent, success } from './envelope.js';
import { faultCode, waitAsFaulted } from './fault-injection.js';
import type { FaultRoute } from './fault-injection.js';
import type { Credential, RestLogEntry } from './request-log.js';
import type { ApiShape } from '../endpoint/api-shape.js';
import { accountError, isOpaqueId, namespaceError, repoNameError } from './names.js';
import { repoBlob, repoCommit, repoFile, repoLog, repoRaw, repoTree } from './rest-content.js';
import { createNamespace, deleteNamespace, getNamespace, listNamespaces } from './rest-namespaces.js';
import { createRepo, deleteRepo, getRepo, listRepos } from './rest-repos.js';
import { forkRepo, importRepo } from './rest-fork-import.js';
import { listTokens, mintToken, revokeToken } from './rest-tokens.js';
import { invalidToken, userRoute } from './rest-user.js';

/**
 * The REST APIs the emulator serves, one route table below each: `mount` is what a path starts
 * with, `prefix` the segments before the routes (":account" binds the account; the
 * namespace-scoped APIs have none), `credential` the only Bearer they accept. A request with
 * the other one gets 401, as a JWT is not a Cloudflare API token nor the other way round
 * (docs/git-and-artifacts-behaviour.md, "REST control plane").
 */
export interface Api {
  shape: ApiShape;
  mount: string;
  prefix: string[];
  credential: 'api-token' | 'jwt';
}

export const apis: readonly Api[] = [
  { shape: 'account', mount: '/client/v4/', prefix: ['client', 'v4', 'accounts', ':account', 'artifacts'], credential: 'api-token' },
  { shape: 'namespace', mount: '/v1/api/', prefix: ['v1', 'api'], credential: 'jwt' },
  { shape: 'namespace', mount: '/edge/v1/api/', prefix: ['edge', 'v1', 'api'], credential: 'jwt' },
];

/** The API a raw path is under, or undefined (git, test aids, nothing). */
export function apiOf(rawPath: string): Api | undefined {
  return apis.find((a) => rawPath.startsWith(a.mount));
}

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Segments after /client/v4/accounts/:account/artifacts/ ; ":x" binds one, a last "*x" the rest (one or more). */
  pattern: string[];
  name: FaultRoute;
  handler: (ctx: RouteContext) => Promise<Reply>;
}

const route = (method: Route['method'], path: string, name: FaultRoute, handler: Route['handler']): Route => ({
  method,
  pattern: path.split('/'),
  name,
  handler,
});

/** Routes relative to an API's prefix; the namespace-scoped APIs serve those below namespaces/:ns. */
const routes: Route[] = [
  route('GET', 'namespaces', 'namespace', listNamespaces),
  route('POST', 'namespaces', 'namespace', createNamespace),
  route('GET', 'namespaces/:ns', 'namespace', getNamespace),
  route('DELETE', 'namespaces/:ns', 'namespace', deleteNamespace),
  route('GET', 'namespaces/:ns/repos', 'repo-list', listRepos),
  route('POST', 'namespaces/:ns/repos', 'repo-create', createRepo),
  route('GET', 'namespaces/:ns/repos/:name', 'repo-get', getRepo),
  route('DELETE', 'namespaces/:ns/repos/:name', 'repo-delete', deleteRepo),
  route('POST', 'namespaces/:ns/repos/:name/fork', 'fork', forkRepo),
  route('POST', 'namespaces/:ns/repos/:name/import', 'import', importRepo),
  route('GET', 'namespaces/:ns/repos/:name/tokens', 'token-list', listTokens),
  route('GET', 'namespaces/:ns/repos/:name/log', 'repo-content', repoLog),
  route('GET', 'namespaces/:ns/repos/:name/commit/:hash', 'repo-content', repoCommit),
  route('GET', 'namespaces/:ns/repos/:name/tree/:hash', 'repo-content', repoTree),
  route('GET', 'namespaces/:ns/repos/:name/blob/:hash', 'repo-content', repoBlob),
  route('GET', 'namespaces/:ns/repos/:name/file', 'repo-content', repoFile),
  route('GET', 'namespaces/:ns/repos/:name/raw/:ref/*path', 'repo-content', repoRaw),
  route('POST', 'namespaces/:ns/tokens', 'mint', mintToken),
  route('DELETE', 'namespaces/:ns/tokens/:id', 'revoke', revokeToken),
];

export function match(pattern: string[], segments: string[]): Record<string, string> | null {
  const rest = pattern[pattern.length - 1]?.startsWith('*') === true;
  if (rest ? segments.length < pattern.length : pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const s = segments[i] ?? '';
    if (p.startsWith('*')) params[p.slice(1)] = segments.slice(i).join('/');
    else if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}

/** Segments of a raw path, percent-decoded one by one (so %2F stays inside a segment). */
export function pathSegments(rawPath: string): string[] {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // tolerate one trailing slash
  return parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      throw invalid('the request path is not valid percent-encoding');
    }
  });
}

export function apiTokenMatches(header: string | undefined, apiToken: string): boolean {
  return bearerOf(header) !== undefined && secretEquals(bearerOf(header)!, apiToken);
}

function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

function secretEquals(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Which of the emulator's credentials an Authorization header carries (for the check and the log). */
export function presented(emu: Pick<Emu, 'apiToken' | 'jwt'>, header: string | undefined): Credential {
  if (header === undefined || header === '') return 'none';
  const bearer = bearerOf(header);
  if (bearer === undefined) return 'other';
  if (secretEquals(bearer, emu.apiToken)) return 'api-token';
  if (secretEquals(bearer, emu.jwt)) return 'jwt';
  return 'other';
}

const wanted: Record<Api['credential'], string> = {
  'api-token': 'send Authorization: Bearer <API token> (repo tokens and gateway JWTs do not authenticate this API)',
  jwt: 'send Authorization: Bearer <gateway JWT> (repo tokens and Cloudflare API tokens do not authenticate this API)',
};

/** Handles every request under one of the REST mounts (apiOf). Never throws. */
export async function handleRest(emu: Emu, req: IncomingMessage, res: ServerResponse, api: Api, rawPath: string, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  const credential = presented(emu, req.headers.authorization);
  const log: LogState = { api: api.shape, credential, name: 'unknown', ns: null, status: 500, mint: null };
  try {
    // Above the Artifacts routes: the token check and the account list (rest-user.ts).
    const user = api.shape === 'account' ? userRoute(method, pathSegments(rawPath).slice(2)) : undefined;
    if (user) {
      log.name = user.name;
      if (credential !== 'api-token') throw user.name === 'verify' ? invalidToken() : new RestError(401, codes.authentication, `Authentication error: ${wanted[api.credential]}`);
      const fault = emu.faults.take(user.name);
      if (fault?.status !== undefined) throw new RestError(fault.status, faultCode(fault), fault.message ?? `injected fault (${fault.status})`);
      const reply = user.handler(emu);
      log.status = reply.status;
      return send(res, reply.status, success(reply.result, reply.resultInfo));
    }
    if (credential !== api.credential) throw new RestError(401, codes.authentication, `Authentication error: ${wanted[api.credential]}`);
    const segments = pathSegments(rawPath);
    const bound = match(api.prefix, segments.slice(0, api.prefix.length));
    if (!bound) throw new RestError(404, codes.notFound, `no route for ${method} ${rawPath}`);
    const rest = segments.slice(api.prefix.length);
    const served = api.shape === 'account' ? routes : routes.filter((r) => r.pattern[0] === 'namespaces' && r.pattern[1] === ':ns');
    const candidates = served.map((r) => ({ r, params: match(r.pattern, rest) })).filter((x) => x.params !== null);
    const found = candidates.find((x) => x.r.method === method);
    if (!found?.params) {
      if (candidates.length === 0) throw new RestError(404, codes.notFound, `no route for ${method} ${rawPath}`);
      const allow = candidates.map((x) => x.r.method).join(', ');
      throw new RestError(405, codes.invalidInput, `method ${method} not allowed here; use ${allow}`, { Allow: allow });
    }
    log.name = found.r.name;
    const ctx = await context(emu, req, api, bound.account, found.params, query);
    log.ns = ctx.ns || null;
    if (found.r.name === 'mint') log.mint = ctx;
    const fault = emu.faults.take(found.r.name);
    await waitAsFaulted(emu.faults, fault);
    if (fault?.status !== undefined) {
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
      throw new RestError(fault.status, faultCode(fault), fault.message ?? `injected fault (${fault.status})`, headers);
    }
    const reply = await found.r.handler(ctx);
    log.status = reply.status;
    if (reply.status === 204) sendNoContent(res);
    else if (reply.stream) await reply.stream(res);
    else if (reply.body) sendBytes(res, reply.status, reply.body, reply.headers);
    else send(res, reply.status, success(reply.result, reply.resultInfo), reply.headers);
  } catch (e) {
    const error = e instanceof RestError ? e : new RestError(500, codes.internal, 'internal error');
    if (!(e instanceof RestError)) emu.stderr.write(`artifacts-emulator: internal error on ${method} ${rawPath}: ${String((e as Error)?.stack ?? e)}\n`);
    log.status = error.status;
    send(res, error.status, failure(error), error.headers);
  } finally {
    record(emu, method, log);
  }
}

interface LogState {
  api: ApiShape;
  credential: Credential;
  name: string;
  ns: string | null;
  status: number;
  mint: RouteContext | null;
}

async function context(emu: Emu, req: IncomingMessage, api: Api, account: string | undefined, params: Record<string, string>, query: URLSearchParams): Promise<RouteContext> {
  const accountProblem = api.shape === 'account' ? accountError(account ?? '') : null;
  if (accountProblem) throw invalid(accountProblem);
  const ns = params.ns ?? '';
  const nsProblem = params.ns === undefined ? null : namespaceError(ns);
  if (nsProblem) throw invalid(nsProblem);
  const name = params.name ?? '';
  const nameProblem = params.name === undefined ? null : repoNameError(name);
  if (nameProblem) throw new RestError(400, codes.invalidRepoName, nameProblem);
  const id = params.id ?? '';
  if (params.id !== undefined && !isOpaqueId(id)) throw new RestError(404, codes.notFound, 'token not found (malformed id)');
  const body = req.method === 'POST' ? await readJsonObject(req) : {};
  return { emu, api: api.shape, account: account ?? '', ns, name, id, query, body, params };
}

function record(emu: Emu, method: string, log: LogState): void {
  const at = emu.store.iso();
  const seen: Pick<RestLogEntry, 'api' | 'credential'> = { api: log.api, credential: log.credential };
  if (log.name !== 'mint') {
    emu.log.add({ kind: 'rest', at, ...seen, method, route: log.name, namespace: log.ns, status: log.status });
    return;
  }
  const b = log.mint?.body ?? {}; // empty when the request failed before its body was read
  emu.log.add({
    kind: 'mint',
    at,
    ...seen,
    namespace: log.ns ?? '',
    repo: typeof b.repo === 'string' ? b.repo : null,
    scope: typeof b.scope === 'string' ? b.scope : null,
    ttl: typeof b.ttl === 'number' ? b.ttl : null,
    status: log.status,
    tokenId: log.mint?.minted ?? null,
  });
}
