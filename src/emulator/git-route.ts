// Git smart HTTP at /git/<namespace>/<repo>.git/... (the account-scoped API's remotes) and at
// /<namespace>/<repo>.git/... (the namespace-scoped API's): path and query checks (400 for a
// query git would never send), token auth (auth.ts), the `git` fault (test aid), the request log, then the
// CGI bridge, which sees only the path and query we authorized. Error bodies are text/plain so
// git shows them as `remote:` lines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitAuth, GitService } from './auth.js';
import { authorizeGit, challenge } from './auth.js';
import type { EmulatorContext } from './context.js';
import type { RepoRecord } from './state.js';
import { waitAsFaulted } from './fault-injection.js';
import { runHttpBackend } from './git-http.js';
import { isOpaqueId, namespaceError, repoNameError } from './validation.js';

export interface GitTarget {
  /** `/git/<ns>/<repo>` (account-scoped remotes) or `/<ns>/<repo>` (namespace-scoped ones). */
  form: 'account' | 'namespace';
  namespace: string;
  repo: string;
  /** What follows `<repo>.git/`, e.g. `info/refs` or `git-upload-pack`. */
  rest: string;
}

/** What git asks for below a repo: smart HTTP only (https://git-scm.com/docs/gitprotocol-http). */
const smartHttp = new Set(['info/refs', 'git-upload-pack', 'git-receive-pack']);

/**
 * Splits `/git/<ns>/<repo>[.git]/<rest>` or `/<ns>/<repo>[.git]/<rest>` (raw, percent-decoded
 * per segment), or null. A path under /git/ is always the first form (so a namespace named
 * `git` is served on it only). The second form takes smart-HTTP requests only: anything else
 * at the root (/favicon.ico, /v1/…) is not a repo. A segment that decodes to something with
 * `/` in it (`info%2Frefs`, `objects%2F..`) is refused: git never sends one, and joining it
 * back would make a path other than the one the client wrote.
 */
export function parseGitPath(rawPath: string): GitTarget | null {
  const parts = rawPath.split('/');
  if (parts[0] !== '') return null;
  const form = parts[1] === 'git' ? 'account' : 'namespace';
  const first = form === 'account' ? 2 : 1;
  if (parts.length < first + 3) return null;
  let decoded: string[];
  try {
    decoded = parts.slice(first).map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  const [namespace = '', file = '', ...rest] = decoded;
  const repo = file.endsWith('.git') ? file.slice(0, -4) : file;
  if (namespaceError(namespace) || repoNameError(repo)) return null;
  if (rest.some((s) => s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f/\\]/.test(s))) return null;
  if (form === 'namespace' && !smartHttp.has(rest.join('/'))) return null;
  return { form, namespace, repo, rest: rest.join('/') };
}

/**
 * What a git request asks for, decided once: the service (null for anything that isn't smart
 * HTTP, answered 404 after auth like any unknown path) and the QUERY_STRING to hand to
 * `git http-backend`, rebuilt from that service alone so the backend can't read the query
 * differently from us. `git http-backend` keeps the *last* of repeated parameters, reads
 * `?service&git-receive-pack` as service=git-receive-pack and `?x&service=…` as no service at
 * all, where URLSearchParams reads each the other way; passing the raw query let a read token
 * reach a receive-pack advertisement.
 */
export type GitRequest = { ok: true; service: GitService | null; queryString: string } | { ok: false; message: string };

const services = new Map<string, GitService>([
  ['git-upload-pack', 'upload-pack'],
  ['git-receive-pack', 'receive-pack'],
]);

export function gitRequest(method: string, rest: string, rawQuery: string): GitRequest {
  // A name git would take for `service`: git's URL decoding ends a C string at a decoded NUL.
  const values = [...new URLSearchParams(rawQuery)].filter(([name]) => name.split('\u0000')[0] === 'service').map(([, v]) => v);
  // gitprotocol-http (https://git-scm.com/docs/gitprotocol-http, "Smart Clients"): the
  // info/refs request "MUST contain exactly one query parameter, service=$servicename".
  if (values.length > 1) return { ok: false, message: 'Bad request: more than one service parameter' };
  const [named] = values;
  if (method === 'GET' && rest === 'info/refs') {
    if (named === undefined) return { ok: true, service: null, queryString: '' }; // dumb HTTP: not served
    const service = services.get(named);
    if (!service) return { ok: false, message: 'Bad request: unknown service; expected git-upload-pack or git-receive-pack' };
    return { ok: true, service, queryString: `service=${named}` };
  }
  if (method === 'POST' && (rest === 'git-upload-pack' || rest === 'git-receive-pack')) {
    // git sends no query here; one naming another service than the path is not from git.
    if (named !== undefined && named !== rest) return { ok: false, message: `Bad request: service parameter does not match ${rest}` };
    return { ok: true, service: services.get(rest) ?? null, queryString: '' };
  }
  return { ok: true, service: null, queryString: '' };
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(`${body}\n`);
}

/** Handles a git request (a path under /git/, or one parseGitPath takes). Never throws. */
export async function handleGit(emu: EmulatorContext, req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string): Promise<void> {
  const target = parseGitPath(rawPath);
  if (!target) return text(res, 404, 'Repository not found');
  const method = req.method ?? 'GET';
  const request = gitRequest(method, target.rest, rawQuery);
  const entry = { kind: 'git' as const, form: target.form, namespace: target.namespace, repo: target.repo, service: request.ok ? request.service : null };
  if (!request.ok) {
    // 400 before auth, faults and the backend: the request is malformed whoever sends it, so the
    // answer must not depend on (or reveal anything about) the token or the repo. Not 403/401:
    // git would report those as credential problems, and these aren't.
    text(res, 400, request.message);
    emu.log.add({ ...entry, at: emu.store.iso(), tokenId: null, scope: null, auth: null, status: 400 });
    return;
  }
  const repo = emu.store.repo(target.namespace, target.repo);
  const auth = authorizeGit(emu.store, req.headers.authorization, repo, request.service);
  let status = 500;
  try {
    status = await answer(emu, req, res, target, request, auth);
  } catch (e) {
    emu.stderr.write(`artifacts-emulator: internal error on git ${method} ${rawPath}: ${String((e as Error)?.stack ?? e)}\n`);
    text(res, 500, 'Internal error');
  } finally {
    emu.log.add({
      ...entry,
      at: emu.store.iso(),
      tokenId: auth.ok ? auth.token.id : null,
      scope: auth.ok ? auth.token.scope : null,
      auth: auth.form,
      status,
    });
  }
}

/** Why a repo that a token authorizes is not served now, as status and text; null when it is. */
function refusalOf(repo: RepoRecord | undefined, service: GitService | null): [number, string] | null {
  if (!repo) return [404, 'Repository not found'];
  if (service === null) return [404, 'Not found: only git smart HTTP is served'];
  if (repo.status === 'importing') return [409, 'Repository is being imported; retry later'];
  if (repo.status === 'forking') return [409, 'Repository is being forked; retry later'];
  if (repo.status === 'failed') return [409, 'Repository import failed; import it again'];
  // The id comes from state.json; one that isn't a plain name (`..`, `/`) would send the backend
  // elsewhere under GIT_PROJECT_ROOT. A hand-edited state file can do that: say so, serve nothing.
  if (!isOpaqueId(repo.id)) return [500, `Repository ${repo.namespace}/${repo.name} has an unusable id in the emulator's state.json`];
  return null;
}

/** Test aid: a `git` route fault waits, then answers instead of the backend when it has a status. */
async function injectedFault(emu: EmulatorContext, res: ServerResponse): Promise<number | undefined> {
  const fault = emu.faults.take('git');
  await waitAsFaulted(emu.faults, fault);
  if (fault?.status === undefined) return undefined;
  const retryAfter: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  text(res, fault.status, fault.message ?? `injected fault (${fault.status})`, retryAfter);
  return fault.status;
}

async function answer(
  emu: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: GitTarget,
  request: GitRequest & { ok: true },
  auth: GitAuth,
): Promise<number> {
  const { service } = request;
  const faulted = await injectedFault(emu, res);
  if (faulted !== undefined) return faulted;
  if (!auth.ok) {
    text(res, auth.status, auth.message, auth.status === 401 ? { 'WWW-Authenticate': challenge } : {});
    return auth.status;
  }
  // auth.ok implies the repo exists and the token belongs to it.
  const repo = emu.store.repoById(auth.token.repo_id);
  const refusal = refusalOf(repo, service);
  if (refusal || !repo) {
    const [status, message] = refusal ?? [404, 'Repository not found'];
    return (text(res, status, message), status);
  }
  const outcome = await runHttpBackend({
    req,
    res,
    projectRoot: emu.store.gitRoot,
    // service !== null: target.rest is exactly info/refs, git-upload-pack or git-receive-pack.
    pathInfo: `/${repo.id}.git/${target.rest}`,
    queryString: request.queryString,
    remoteUser: auth.token.id,
    home: emu.store.tmpDir,
    timeoutMs: emu.gitTimeoutMs,
  });
  if (emu.verbose && outcome.stderr) emu.stderr.write(`artifacts-emulator: http-backend: ${outcome.stderr.trim()}\n`);
  if (service === 'receive-pack' && req.method === 'POST' && outcome.status === 200 && outcome.exitCode === 0) {
    const at = emu.store.iso();
    Object.assign(repo, { last_push_at: at, updated_at: at });
    await emu.store.save();
  }
  return outcome.status;
}
