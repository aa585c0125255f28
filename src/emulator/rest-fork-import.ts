// Fork and import (https://developers.cloudflare.com/artifacts/api/rest-api/): a fork copies a
// repo of the same namespace before answering; an import answers at once and fetches in the
// background, the repo answering 409 10302 until it is done. Import sources: http(s) URLs git can
// reach without credentials (the service documents a public HTTPS `url`), this emulator's own
// remotes among them; local paths and file:// URLs only with --allow-local-import (tests).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failedStderr } from '../child-process.js';
import { optionalBoolean, optionalString } from './body.js';
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, invalid, RestError } from './envelope.js';
import { countObjects, fetchInto, headBranch, initBare, removeRepoDir } from './git-ops.js';
import { branchError, branchMax } from './validation.js';
import { claimName, createdView, gitEnvOf, newRepoFields, remoteOf } from './rest-repos.js';
import { readyRepo } from './rest-tokens.js';
import type { RepoRecord } from './state.js';
import { newRepoId } from './state.js';

/** POST /repos/:name/fork */
export async function forkRepo(ctx: RouteContext): Promise<Reply> {
  const { emu, ns } = ctx;
  const parent = readyRepo(emu, ns, ctx.name);
  const fields = newRepoFields(ctx.body);
  // Validated; not enforced (observed: docs/git-and-artifacts-behaviour.md, "Documented but
  // not enforced").
  optionalBoolean(ctx.body, 'default_branch_only');
  const release = claimName(emu, ns, fields.name);
  try {
    const env = gitEnvOf(emu);
    const id = newRepoId();
    const dir = emu.store.repoDir({ id });
    await initBare(env, dir, parent.default_branch);
    // Listed as `forking` (GET answers 409 10303) until the copy is done.
    const repo = emu.store.addRepo({
      id,
      namespace: ns,
      name: fields.name,
      description: fields.description,
      default_branch: parent.default_branch,
      source: remoteOf(ctx, parent),
      read_only: fields.read_only,
      status: 'forking',
    });
    let objects: number;
    try {
      await inProgress(emu, 'fork');
      await fetchInto(env, dir, emu.store.repoDir(parent));
      objects = await countObjects(env, dir);
    } catch (e) {
      emu.store.removeRepo(repo);
      await removeRepoDir(env, dir);
      throw e;
    }
    Object.assign(repo, { status: 'ready', updated_at: emu.store.iso() });
    const result = { ...createdView(ctx, repo), objects };
    await emu.store.save();
    return { status: 201, result };
  } finally {
    release();
  }
}

export interface ImportSource {
  /** What git fetches from: the URL as given, or a local path. */
  from: string;
  /** GIT_ALLOW_PROTOCOL for that fetch, so git itself can't go elsewhere (redirects, transports). */
  protocols: string;
}

export interface ImportPolicy {
  /** `http://<host>:<port>/` of this emulator: its remotes (either path form) are read from disk. */
  ownOrigin: string;
  /** The directory of a ready repo of this emulator, or null. */
  ownRepoDir(namespace: string, name: string): string | null;
  /** --allow-local-import: also absolute paths and file:// URLs (off by default). */
  allowLocal: boolean;
}

/**
 * Where git should fetch an import from, or a 400 10104 INVALID_URL. Only http(s): git also takes
 * ssh://, git://, `<transport>::<address>` (ext:: runs a command) and plain paths, none of which
 * the service would fetch from. Pure.
 */
export function importSource(url: string, policy: ImportPolicy): ImportSource {
  const bad = (why: string): RestError => new RestError(400, codes.invalidUrl, `url ${why}`);
  if (/[\u0000-\u0020\u007f\\]/.test(url) || url.startsWith('-')) throw bad('must not contain spaces, backslashes or control characters');
  if (url.startsWith(policy.ownOrigin)) {
    // <origin>/git/<ns>/<repo>.git or <origin>/<ns>/<repo>.git, as git-route.ts serves them.
    const parts = url.slice(policy.ownOrigin.length).split('/');
    const [ns = '', file = '', ...more] = parts[0] === 'git' ? parts.slice(1) : parts;
    const dir = more.length === 0 ? policy.ownRepoDir(ns, file.replace(/\.git$/, '')) : null;
    if (!dir) throw bad('is not a repo of this emulator');
    return { from: dir, protocols: 'file' };
  }
  if (/^https?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad('is not a valid URL');
    }
    if (parsed.hostname === '') throw bad('has no host');
    return { from: url, protocols: 'http:https' };
  }
  const local = policy.allowLocal ? ', or (--allow-local-import) a file:// URL or an absolute path' : '';
  if (policy.allowLocal && url.startsWith('file://')) {
    try {
      // Only this machine's files: on Windows fileURLToPath makes file://host/x a UNC path
      // (\\host\x), which git would read over SMB from another machine.
      const host = new URL(url).hostname;
      if (host !== '' && host !== 'localhost') throw bad('names another host');
      return { from: fileURLToPath(url), protocols: 'file' };
    } catch {
      throw bad('is not a valid file:// URL');
    }
  }
  if (policy.allowLocal && path.isAbsolute(url)) return { from: url, protocols: 'file' };
  throw bad(`must be an http(s) URL of a git repository${local}`);
}

/** Test aids: the extra time an import or a fork spends "in progress", and its latch. */
async function inProgress(emu: EmulatorContext, what: 'import' | 'fork'): Promise<void> {
  const s = emu.faults.settings;
  const delayMs = what === 'import' ? s.importDelayMs : s.forkDelayMs;
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  if (what === 'import' ? s.holdImports : s.holdForks) await emu.faults.latches.hold(what);
}

function importPolicy(emu: EmulatorContext): ImportPolicy {
  return {
    ownOrigin: `${emu.baseUrl}/`,
    ownRepoDir: (ns, name) => {
      const repo = emu.store.repo(ns, name);
      return repo?.status === 'ready' ? emu.store.repoDir(repo) : null;
    },
    allowLocal: emu.allowLocalImport,
  };
}

function importOptions(body: Record<string, unknown>): { branch?: string; depth?: number } {
  const branch = optionalString(body, 'branch', branchMax);
  const branchProblem = branch === undefined ? null : branchError(branch, 'branch');
  if (branchProblem) throw invalid(branchProblem);
  const depth = body.depth;
  if (depth !== undefined && depth !== null && (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1)) {
    throw invalid('depth must be a positive integer');
  }
  return { ...(branch ? { branch } : {}), ...(typeof depth === 'number' ? { depth } : {}) };
}

/** POST /repos/:name/import */
export async function importRepo(ctx: RouteContext): Promise<Reply> {
  const { emu, ns, name, body } = ctx;
  if (body.url === undefined || body.url === null) throw invalid('url is required');
  if (typeof body.url !== 'string' || body.url.length > 2048) throw invalid('url must be a string of at most 2048 characters');
  const url = body.url;
  const options = importOptions(body);
  const description = optionalString(body, 'description', 1024) ?? '';
  const readOnly = optionalBoolean(body, 'read_only') ?? false;
  const failed = emu.store.repo(ns, name);
  if (failed?.status === 'failed') emu.store.removeRepo(failed); // a failed import may be retried
  const release = claimName(emu, ns, name);
  try {
    const source = importSource(url, importPolicy(emu));
    const env = { ...gitEnvOf(emu), allowProtocols: source.protocols };
    let head: string | null;
    try {
      head = await headBranch(env, source.from);
    } catch (e) {
      const text = failedStderr(e);
      if (/Authentication|Username|401|403/.test(text)) throw new RestError(400, 10106, 'the import source needs authentication');
      throw new RestError(400, codes.invalidUrl, 'url is not a git repository this emulator can reach');
    }
    const id = newRepoId();
    const branch = options.branch ?? head ?? 'main';
    await initBare(env, emu.store.repoDir({ id }), branch);
    const repo = emu.store.addRepo({
      id, namespace: ns, name, description, default_branch: branch, source: url, read_only: readOnly, status: 'importing',
    });
    const result = createdView(ctx, repo);
    await emu.store.save();
    startImport(emu, repo, source, options);
    return { status: 201, result };
  } finally {
    release();
  }
}

function startImport(emu: EmulatorContext, repo: RepoRecord, source: ImportSource, options: { branch?: string; depth?: number }): void {
  const job = (async () => {
    await inProgress(emu, 'import');
    try {
      await fetchInto({ ...gitEnvOf(emu), allowProtocols: source.protocols }, emu.store.repoDir(repo), source.from, options);
      Object.assign(repo, { status: 'ready', updated_at: emu.store.iso() });
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'fetch failed';
      Object.assign(repo, { status: 'failed', failure: { code: codes.upstreamUnavailable, message: reason } });
    }
    if (emu.store.repo(repo.namespace, repo.name) === repo) await emu.store.save();
  })().catch((e: unknown) => {
    emu.stderr.write(`artifacts-emulator: import job failed: ${String(e)}\n`);
  });
  emu.jobs.add(job);
  void job.finally(() => emu.jobs.delete(job));
}
