// Repo routes (docs/git-and-artifacts-behaviour.md, "REST routes"): create, list, get, delete.
import { optionalBoolean, optionalString } from './body.js';
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, invalid, notFound, RestError } from './envelope.js';
import type { GitEnv } from './git-ops.js';
import { initBare, removeRepoDir } from './git-ops.js';
import { branchError, branchMax, repoNameError } from './validation.js';
import { enumParam, listPage, listPaging, sortBy } from './pagination.js';
import { issueToken, readyRepo, ttlDefault } from './rest-tokens.js';
import type { RepoRecord } from './state.js';
import { newRepoId } from './state.js';

export function gitEnvOf(emu: EmulatorContext): GitEnv {
  return { tmpDir: emu.store.tmpDir, timeoutMs: emu.gitTimeoutMs };
}

/**
 * The git remote of a repo as the API the request came through names it: `/git/<ns>/<repo>.git`
 * for the account-scoped one, `/<ns>/<repo>.git` for the namespace-scoped ones
 * (docs/git-and-artifacts-behaviour.md, "Git remote URLs"). git is served on both.
 */
export function remoteOf(ctx: Pick<RouteContext, 'emu' | 'api'>, repo: RepoRecord): string {
  return `${ctx.emu.baseUrl}${ctx.api === 'account' ? '/git' : ''}/${repo.namespace}/${repo.name}.git`;
}

/**
 * The GET /repos/:name shape (also list items): the schema's fields plus `status`, which
 * wrangler reads (docs/emulator-api.md, "wrangler").
 */
export function repoView(ctx: RouteContext, repo: RepoRecord): object {
  const { id, name, description, default_branch, created_at, updated_at, last_push_at, source, read_only, status } = repo;
  return { id, name, description, default_branch, created_at, updated_at, last_push_at, source, read_only, remote: remoteOf(ctx, repo), status };
}

/** The create/fork/import result: the repo plus its first token (write, 24 h) as a string. */
export function createdView(ctx: RouteContext, repo: RepoRecord): object {
  const token = issueToken(ctx.emu, repo, 'write', ttlDefault);
  const { id, name, description, default_branch } = repo;
  return { id, name, description, default_branch, remote: remoteOf(ctx, repo), token: token.plaintext };
}

/** Validated name/description/default_branch/read_only of a create-like body. */
interface NewRepoFields {
  name: string;
  description: string;
  default_branch?: string;
  read_only: boolean;
}

export function newRepoFields(body: Record<string, unknown>, nameField = 'name'): NewRepoFields {
  const raw = body[nameField];
  if (raw === undefined || raw === null) throw invalid(`${nameField} is required`);
  if (typeof raw !== 'string') throw invalid(`${nameField} must be a string`);
  const nameProblem = repoNameError(raw);
  if (nameProblem) throw new RestError(400, codes.invalidRepoName, nameProblem);
  const description = optionalString(body, 'description', 1024) ?? '';
  const branch = optionalString(body, 'default_branch', branchMax);
  const branchProblem = branch === undefined ? null : branchError(branch);
  if (branchProblem) throw invalid(branchProblem);
  const readOnly = optionalBoolean(body, 'read_only') ?? false;
  return { name: raw, description, ...(branch === undefined ? {} : { default_branch: branch }), read_only: readOnly };
}

/** Claims ns/name for a create-like operation, or throws 409 (exists / in progress). */
export function claimName(emu: EmulatorContext, ns: string, name: string): () => void {
  const key = `${ns}/${name}`;
  const existing = emu.store.repo(ns, name);
  if (existing?.status === 'importing') throw new RestError(409, codes.importInProgress, `repo ${key} is being imported; retry later`);
  if (existing?.status === 'forking') throw new RestError(409, codes.forkInProgress, `repo ${key} is being forked; retry later`);
  if (existing || emu.busy.has(key)) throw new RestError(409, codes.alreadyExists, `repo ${key} already exists`);
  emu.busy.add(key);
  return () => emu.busy.delete(key);
}

/** POST /repos */
export async function createRepo(ctx: RouteContext): Promise<Reply> {
  const { emu, ns } = ctx;
  const fields = newRepoFields(ctx.body);
  const release = claimName(emu, ns, fields.name);
  try {
    const branch = fields.default_branch ?? 'main';
    const id = newRepoId();
    await initBare(gitEnvOf(emu), emu.store.repoDir({ id }), branch);
    const repo = emu.store.addRepo({ ...fields, id, namespace: ns, default_branch: branch, source: null, status: 'ready' });
    const result = createdView(ctx, repo);
    await emu.store.save();
    return { status: 201, result };
  } finally {
    release();
  }
}

const sortKeys = ['created_at', 'updated_at', 'last_push_at', 'name'] as const;

/** GET /repos: `direction` defaults to `desc` for every `sort`, as the schema says. */
export async function listRepos(ctx: RouteContext): Promise<Reply> {
  const { emu, ns, query } = ctx;
  const paging = listPaging(query, 50, 200);
  const sort = enumParam(query, 'sort', sortKeys, 'created_at');
  const direction = enumParam(query, 'direction', ['desc', 'asc'] as const, 'desc');
  const search = (query.get('search') ?? '').toLowerCase();
  const matching = emu.store.reposIn(ns).filter((r) => search === '' || r.name.toLowerCase().includes(search));
  const sorted = sortBy(matching, (r) => r[sort], direction);
  const { page, info } = listPage(sorted, paging);
  return { status: 200, result: page.map((r) => repoView(ctx, r)), resultInfo: info };
}

/** GET /repos/:name: 409 while an import runs. */
export async function getRepo(ctx: RouteContext): Promise<Reply> {
  return { status: 200, result: repoView(ctx, readyRepo(ctx.emu, ctx.ns, ctx.name)) };
}

/** DELETE /repos/:name: 202 {id}; the repo's tokens go with it. */
export async function deleteRepo(ctx: RouteContext): Promise<Reply> {
  const { emu } = ctx;
  const repo = emu.store.repo(ctx.ns, ctx.name);
  if (!repo) throw notFound(`repo ${ctx.ns}/${ctx.name} not found`);
  if (repo.status === 'forking') throw new RestError(409, codes.forkInProgress, `repo ${ctx.ns}/${ctx.name} is being forked; retry later`);
  emu.store.removeRepo(repo);
  await emu.store.save();
  await removeRepoDir(gitEnvOf(emu), emu.store.repoDir(repo));
  return { status: 202, result: { id: repo.id } };
}
