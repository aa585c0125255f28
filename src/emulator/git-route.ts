// Git smart HTTP at /git/<namespace>/<repo>.git/...: path checks, token auth (auth.ts), the
// `git` fault (test aid), the request log, then the CGI bridge. Error bodies are text/plain so
// git shows them as `remote:` lines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitAuth, GitService } from './auth.js';
import { authorizeGit, challenge } from './auth.js';
import type { Emu } from './context.js';
import { runHttpBackend } from './git-http.js';
import { namespaceError, repoNameError } from './names.js';

export interface GitTarget {
  namespace: string;
  repo: string;
  /** What follows `<repo>.git/`, e.g. `info/refs` or `git-upload-pack`. */
  rest: string;
}

/** Splits `/git/<ns>/<repo>[.git]/<rest>` (raw, percent-decoded per segment), or null. */
export function parseGitPath(rawPath: string): GitTarget | null {
  const parts = rawPath.split('/');
  if (parts[0] !== '' || parts[1] !== 'git' || parts.length < 5) return null;
  let decoded: string[];
  try {
    decoded = parts.slice(2).map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  const [namespace = '', file = '', ...rest] = decoded;
  const repo = file.endsWith('.git') ? file.slice(0, -4) : file;
  if (namespaceError(namespace) || repoNameError(repo)) return null;
  if (rest.some((s) => s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f\\]/.test(s))) return null;
  return { namespace, repo, rest: rest.join('/') };
}

/** Which service a request is for, or null for anything that isn't smart HTTP. */
export function serviceOf(method: string, rest: string, query: URLSearchParams): GitService | null {
  if (method === 'GET' && rest === 'info/refs') {
    const s = query.get('service');
    return s === 'git-upload-pack' ? 'upload-pack' : s === 'git-receive-pack' ? 'receive-pack' : null;
  }
  if (method === 'POST' && rest === 'git-upload-pack') return 'upload-pack';
  if (method === 'POST' && rest === 'git-receive-pack') return 'receive-pack';
  return null;
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(`${body}\n`);
}

/** Handles every request under /git/. Never throws. */
export async function handleGit(emu: Emu, req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string): Promise<void> {
  const target = parseGitPath(rawPath);
  if (!target) return text(res, 404, 'Repository not found');
  const method = req.method ?? 'GET';
  const query = new URLSearchParams(rawQuery);
  const service = serviceOf(method, target.rest, query);
  const repo = emu.store.repo(target.namespace, target.repo);
  const auth = authorizeGit(emu.store, req.headers.authorization, repo, service);
  let status = 500;
  try {
    status = await answer(emu, req, res, target, rawQuery, service, auth);
  } catch (e) {
    emu.stderr.write(`artifacts-emulator: internal error on git ${method} ${rawPath}: ${String((e as Error)?.stack ?? e)}\n`);
    text(res, 500, 'Internal error');
  } finally {
    emu.log.add({
      kind: 'git',
      at: emu.store.iso(),
      namespace: target.namespace,
      repo: target.repo,
      service,
      tokenId: auth.ok ? auth.token.id : null,
      scope: auth.ok ? auth.token.scope : null,
      auth: auth.form,
      status,
    });
  }
}

async function answer(emu: Emu, req: IncomingMessage, res: ServerResponse, target: GitTarget, rawQuery: string, service: GitService | null, auth: GitAuth): Promise<number> {
  const fault = emu.faults.take('git');
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.status !== undefined) {
    text(res, fault.status, fault.message ?? `injected fault (${fault.status})`, fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) });
    return fault.status;
  }
  if (!auth.ok) {
    text(res, auth.status, auth.message, auth.status === 401 ? { 'WWW-Authenticate': challenge } : {});
    return auth.status;
  }
  // auth.ok implies the repo exists and the token belongs to it.
  const repo = emu.store.repoById(auth.token.repo_id);
  if (!repo) return (text(res, 404, 'Repository not found'), 404);
  if (service === null) return (text(res, 404, 'Not found: only git smart HTTP is served'), 404);
  if (repo.status === 'importing') return (text(res, 409, 'Repository is being imported; retry later'), 409);
  if (repo.status === 'failed') return (text(res, 409, 'Repository import failed; import it again'), 409);
  const outcome = await runHttpBackend({
    req,
    res,
    projectRoot: emu.store.gitRoot,
    pathInfo: `/${repo.id}.git/${target.rest}`,
    queryString: rawQuery,
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
