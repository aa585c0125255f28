// The REST control plane's dispatcher: which API a path is under (the shape as data: the
// account-scoped /client/v4 API with the API token, the namespace-scoped /v1/api and
// /edge/v1/api with the gateway JWT), then one pipeline per request: authenticate → match →
// read its context → fault (test aid) → run → send → log. Each step returns what the next needs
// and what the log records; handlers return a Reply or throw a RestError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject } from './body.js';
import { presented } from './bearer.js';
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, failure, invalid, RestError, send, sendBytes, sendNoContent, success } from './envelope.js';
import { faultCode, waitAsFaulted } from './fault-injection.js';
import type { FaultRoute } from './fault-injection.js';
import type { ApiShape } from '../endpoint/api-shape.js';
import { accountError, isOpaqueId, namespaceError, repoNameError } from './validation.js';
import type { Credential, RestLogEntry } from './request-log.js';
import { match, pathSegments } from './request-path.js';
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

const wanted: Record<Api['credential'], string> = {
  'api-token': 'send Authorization: Bearer <API token> (repo tokens and gateway JWTs do not authenticate this API)',
  jwt: 'send Authorization: Bearer <gateway JWT> (repo tokens and Cloudflare API tokens do not authenticate this API)',
};

const unauthenticated = (api: Api): RestError => new RestError(401, codes.authentication, `Authentication error: ${wanted[api.credential]}`);

/** One REST request as the pipeline sees it. */
interface Request {
  emu: EmulatorContext;
  req: IncomingMessage;
  api: Api;
  method: string;
  rawPath: string;
  query: URLSearchParams;
  credential: Credential;
}

/** How a request ended: its answer, and what the log records of it. */
interface Outcome {
  reply: Reply | RestError;
  route: string;
  ns: string | null;
  /** The request's JSON body once read (the log names a mint's repo, scope and ttl). */
  body: Record<string, unknown>;
}

/** Handles every request under one of the REST mounts (apiOf). Never throws. */
export async function handleRest(
  emu: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  api: Api,
  rawPath: string,
  query: URLSearchParams,
): Promise<void> {
  const credential = presented(emu, req.headers.authorization);
  const r: Request = { emu, req, api, method: req.method ?? 'GET', rawPath, query, credential };
  let outcome = await answer(r);
  try {
    await sendOutcome(res, outcome.reply);
  } catch (e) {
    outcome = { ...outcome, reply: restError(r, e) };
    send(res, outcome.reply.status, failure(outcome.reply as RestError));
  }
  record(r, outcome);
}

/** authenticate → match → context → fault → run; a step that throws ends it with what is known so far. */
async function answer(r: Request): Promise<Outcome> {
  const known: Outcome = { reply: new RestError(500, codes.internal, 'internal error'), route: 'unknown', ns: null, body: {} };
  try {
    const user = r.api.shape === 'account' ? userRoute(r.method, pathSegments(r.rawPath).slice(2)) : undefined;
    if (user) {
      known.route = user.name;
      if (r.credential !== 'api-token') throw user.name === 'verify' ? invalidToken() : unauthenticated(r.api);
      throwIfFaulted(r.emu.faults.take(user.name));
      return { ...known, reply: user.handler(r.emu) };
    }
    if (r.credential !== r.api.credential) throw unauthenticated(r.api);
    const found = routeOf(r);
    known.route = found.route.name;
    const ctx = await context(r, found.account, found.params);
    Object.assign(known, { ns: ctx.ns || null, body: ctx.body });
    const fault = r.emu.faults.take(found.route.name);
    await waitAsFaulted(r.emu.faults, fault);
    throwIfFaulted(fault);
    return { ...known, reply: await found.route.handler(ctx) };
  } catch (e) {
    return { ...known, reply: restError(r, e) };
  }
}

/** The route a request's method and path name, or 404, or 405 with the methods the path takes. */
function routeOf(r: Request): { route: Route; account: string | undefined; params: Record<string, string> } {
  const segments = pathSegments(r.rawPath);
  const bound = match(r.api.prefix, segments.slice(0, r.api.prefix.length));
  if (!bound) throw new RestError(404, codes.notFound, `no route for ${r.method} ${r.rawPath}`);
  const rest = segments.slice(r.api.prefix.length);
  const served = r.api.shape === 'account' ? routes : routes.filter((x) => x.pattern[0] === 'namespaces' && x.pattern[1] === ':ns');
  const candidates = served.map((route) => ({ route, params: match(route.pattern, rest) })).filter((x) => x.params !== null);
  const found = candidates.find((x) => x.route.method === r.method);
  if (found?.params) return { route: found.route, account: bound.account, params: found.params };
  if (candidates.length === 0) throw new RestError(404, codes.notFound, `no route for ${r.method} ${r.rawPath}`);
  const allow = candidates.map((x) => x.route.method).join(', ');
  throw new RestError(405, codes.invalidInput, `method ${r.method} not allowed here; use ${allow}`, { Allow: allow });
}

function throwIfFaulted(fault: ReturnType<EmulatorContext['faults']['take']>): void {
  if (fault?.status === undefined) return;
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  throw new RestError(fault.status, faultCode(fault), fault.message ?? `injected fault (${fault.status})`, headers);
}

/** A RestError as it is; anything else is a bug of ours: a 500, with the stack on stderr only. */
function restError(r: Request, e: unknown): RestError {
  if (e instanceof RestError) return e;
  r.emu.stderr.write(`artifacts-emulator: internal error on ${r.method} ${r.rawPath}: ${String((e as Error)?.stack ?? e)}\n`);
  return new RestError(500, codes.internal, 'internal error');
}

async function sendOutcome(res: ServerResponse, reply: Reply | RestError): Promise<void> {
  if (reply instanceof RestError) send(res, reply.status, failure(reply), reply.headers);
  else if (reply.status === 204) sendNoContent(res);
  else if (reply.stream) await reply.stream(res);
  else if (reply.body) sendBytes(res, reply.status, reply.body, reply.headers);
  else send(res, reply.status, success(reply.result, reply.resultInfo), reply.headers);
}

async function context(r: Request, account: string | undefined, params: Record<string, string>): Promise<RouteContext> {
  const accountProblem = r.api.shape === 'account' ? accountError(account ?? '') : null;
  if (accountProblem) throw invalid(accountProblem);
  const ns = params.ns ?? '';
  const nsProblem = params.ns === undefined ? null : namespaceError(ns);
  if (nsProblem) throw invalid(nsProblem);
  const name = params.name ?? '';
  const nameProblem = params.name === undefined ? null : repoNameError(name);
  if (nameProblem) throw new RestError(400, codes.invalidRepoName, nameProblem);
  const id = params.id ?? '';
  if (params.id !== undefined && !isOpaqueId(id)) throw new RestError(404, codes.notFound, 'token not found (malformed id)');
  const body = r.req.method === 'POST' ? await readJsonObject(r.req) : {};
  return { emu: r.emu, api: r.api.shape, account: account ?? '', ns, name, id, query: r.query, body, params };
}

function record(r: Request, o: Outcome): void {
  const at = r.emu.store.iso();
  const seen: Pick<RestLogEntry, 'api' | 'credential'> = { api: r.api.shape, credential: r.credential };
  const status = o.reply.status;
  if (o.route !== 'mint') {
    r.emu.log.add({ kind: 'rest', at, ...seen, method: r.method, route: o.route, namespace: o.ns, status });
    return;
  }
  const b = o.body; // empty when the request failed before its body was read
  r.emu.log.add({
    kind: 'mint',
    at,
    ...seen,
    namespace: o.ns ?? '',
    repo: typeof b.repo === 'string' ? b.repo : null,
    scope: typeof b.scope === 'string' ? b.scope : null,
    ttl: typeof b.ttl === 'number' ? b.ttl : null,
    status,
    tokenId: o.reply instanceof RestError ? null : (o.reply.minted ?? null),
  });
}
