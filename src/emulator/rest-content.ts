// The six content routes of a repo (Cloudflare's Artifacts OpenAPI schema; docs/emulator-api.md,
// "Content routes"): log, commit, tree, blob, file and raw, answered from the bare repo with git
// plumbing (git-read.ts) and decoded here (git-objects.ts). Read-only.
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, invalid, notFound, RestError } from './envelope.js';
import type { BatchObject, RawTreeEntry } from './git-objects.js';
import { objectHead, streamBlob } from './blob-stream.js';
import { contentTypeOf, MalformedObject, parseCommit, parseTree } from './git-objects.js';
import { commitIds, readObject, readObjects, resolveCommit } from './git-read.js';
import { objectIdPattern, pathError, refError } from './validation.js';
import { intParam } from './pagination.js';
import { gitEnvOf } from './rest-repos.js';
import { readyRepo } from './rest-tokens.js';

/** Largest blob or file served: the documented per-file limit, 32 MB (docs/git-and-artifacts-behaviour.md, "Limits"); past it, 413. */
export const fileMaxBytes = 32 * 1024 * 1024;
/**
 * How many content requests read git objects at once; the rest wait their turn. A blob, file or
 * raw answer holds its slot until the last byte is out.
 */
export const contentReadsAtOnce = 8;
/** Bound on one commit or tree object read (a tree of a huge directory, a commit with a huge message). */
const objectMaxBytes = 16 * 1024 * 1024;
/** Bound on one log page's objects. */
const logMaxBytes = 64 * 1024 * 1024;
/** The schema's log bounds; it states no default limit, so the emulator picks 100. */
const logLimitMax = 1000;
const logLimitDefault = 100;

/** Commit, tree and blob answers are named by hash, so they never change (the schema: "cacheable forever by hash"). */
const immutable = { 'Cache-Control': 'public, max-age=31536000, immutable' };

interface Repo {
  emu: EmulatorContext;
  dir: string;
}

function repoOf(ctx: RouteContext): Repo {
  const repo = readyRepo(ctx.emu, ctx.ns, ctx.name);
  return { emu: ctx.emu, dir: ctx.emu.store.repoDir(repo) };
}

function hashParam(hash: string): string {
  if (!objectIdPattern.test(hash)) throw invalid('hash must be a 40-character lowercase hexadecimal git object id');
  return hash;
}

function refParam(ref: string): string {
  const problem = refError(ref);
  if (problem) throw invalid(problem);
  return ref;
}

function pathParam(p: string): string {
  const problem = pathError(p);
  if (problem) throw invalid(problem);
  return p;
}

/** A hostile object is the repo's problem, not a crash: 500 with what was wrong. */
function decode<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MalformedObject) throw new RestError(500, codes.internal, e.message);
    throw e;
  }
}

async function objectOf(repo: Repo, hash: string, type: 'commit' | 'tree', maxBytes = objectMaxBytes): Promise<Buffer> {
  const obj = await readObject(gitEnvOf(repo.emu), repo.dir, hash, maxBytes);
  if (!obj || obj.missing || obj.type !== type) throw notFound(`${type} ${hash} not found`);
  if (!obj.content) throw new RestError(500, codes.internal, `${type} ${hash} is larger than ${maxBytes} bytes`);
  return obj.content;
}

/** A blob to stream: its id and size from `cat-file --batch-check`, or 404, or 413 past fileMaxBytes. */
async function blobOf(repo: Repo, hash: string, what: string): Promise<Blob> {
  const head = await objectHead(gitEnvOf(repo.emu), repo.dir, hash);
  if (!head || head.type !== 'blob') throw notFound(`${what} not found`);
  if (head.size > fileMaxBytes) throw new RestError(413, codes.invalidInput, `${what} is ${head.size} bytes, over the ${fileMaxBytes}-byte limit`);
  return { repo, hash, size: head.size };
}

interface Blob {
  repo: Repo;
  hash: string;
  size: number;
}

/** The answer that streams a blob, its headers made from its first bytes. */
function blobReply(blob: Blob, headers: (first: Buffer) => Record<string, string>): Reply {
  const { repo, hash, size } = blob;
  return { status: 200, result: null, stream: (res) => streamBlob(res, { env: gitEnvOf(repo.emu), dir: repo.dir, hash, size, headers }) };
}

async function commitOf(repo: Repo, ref: string): Promise<string> {
  const hash = await resolveCommit(gitEnvOf(repo.emu), repo.dir, ref);
  if (!hash) throw notFound(`ref ${ref} not found`);
  return hash;
}

/** The file at `path` in the commit `ref` names: walks the trees itself, comparing name bytes. */
async function fileAt(repo: Repo, ref: string, path: string): Promise<Blob> {
  const commitHash = await commitOf(repo, ref);
  const commitRaw = await objectOf(repo, commitHash, 'commit');
  let tree = decode(() => parseCommit(commitHash, commitRaw)).treeHash;
  const parts = path.split('/');
  for (const [i, part] of parts.entries()) {
    const raw = await objectOf(repo, tree, 'tree');
    const want = Buffer.from(part, 'utf8');
    const entry: RawTreeEntry | undefined = decode(() => parseTree(raw)).find((e) => e.nameBytes.equals(want));
    const soFar = parts.slice(0, i + 1).join('/');
    if (!entry) throw notFound(`${soFar} not found at ${ref}`);
    if (i < parts.length - 1) {
      if (entry.type !== 'tree') throw notFound(`${soFar} is not a directory at ${ref}`);
      tree = entry.hash;
      continue;
    }
    if (entry.type === 'tree') throw notFound(`${path} is a directory at ${ref}, not a file`);
    if (entry.type === 'gitlink') throw notFound(`${path} is a submodule at ${ref}, not a file`);
    return blobOf(repo, entry.hash, `${path} at ${ref}`); // a symlink answers its target, as git stores it
  }
  throw notFound(`${path} not found at ${ref}`);
}

/** GET /repos/:name/log?ref=&limit=&offset= */
async function logRoute(ctx: RouteContext): Promise<Reply> {
  const limit = intParam(ctx.query, 'limit', logLimitDefault, 1, logLimitMax);
  const offset = intParam(ctx.query, 'offset', 0, 0, 1_000_000_000);
  const asked = ctx.query.get('ref');
  const ref = asked === null ? 'HEAD' : refParam(asked);
  const repo = repoOf(ctx);
  const env = gitEnvOf(ctx.emu);
  const start = await resolveCommit(env, repo.dir, ref);
  if (!start) {
    // No ref asked and HEAD unborn (nothing pushed yet): an empty history, not a missing ref.
    if (asked === null) return { status: 200, result: [] };
    throw notFound(`ref ${ref} not found`);
  }
  const ids = await commitIds(env, repo.dir, start, limit, offset);
  const objects = await readObjects(env, repo.dir, ids, logMaxBytes);
  const commits = objects.map((obj: BatchObject) => {
    if (obj.missing || obj.type !== 'commit') throw new RestError(500, codes.internal, `commit ${obj.hash} is missing from the repo`);
    if (!obj.content) throw new RestError(500, codes.internal, `this page of the log is over ${logMaxBytes} bytes; ask for a smaller limit`);
    const content = obj.content;
    return decode(() => parseCommit(obj.hash, content));
  });
  return { status: 200, result: commits };
}

/** GET /repos/:name/commit/:hash */
async function commitRoute(ctx: RouteContext): Promise<Reply> {
  const hash = hashParam(ctx.params.hash ?? '');
  const raw = await objectOf(repoOf(ctx), hash, 'commit');
  return { status: 200, result: decode(() => parseCommit(hash, raw)), headers: immutable };
}

/** GET /repos/:name/tree/:hash */
async function treeRoute(ctx: RouteContext): Promise<Reply> {
  const hash = hashParam(ctx.params.hash ?? '');
  const raw = await objectOf(repoOf(ctx), hash, 'tree');
  const entries = decode(() => parseTree(raw)).map(({ name, mode, hash: id, type }) => ({ name, mode, hash: id, type }));
  return { status: 200, result: entries, headers: immutable };
}

/** GET /repos/:name/blob/:hash: raw bytes. */
async function blobRoute(ctx: RouteContext): Promise<Reply> {
  const hash = hashParam(ctx.params.hash ?? '');
  const blob = await blobOf(repoOf(ctx), hash, `blob ${hash}`);
  return blobReply(blob, () => ({ ...immutable, 'Content-Type': 'application/octet-stream' }));
}

function requiredQuery(ctx: RouteContext, name: string): string {
  const value = ctx.query.get(name);
  if (value === null || value === '') throw invalid(`${name} is required`);
  return value;
}

/** GET /repos/:name/file?ref=&path=: raw bytes. */
async function fileRoute(ctx: RouteContext): Promise<Reply> {
  const ref = refParam(requiredQuery(ctx, 'ref'));
  const path = pathParam(requiredQuery(ctx, 'path'));
  const blob = await fileAt(repoOf(ctx), ref, path);
  return blobReply(blob, () => ({ 'Content-Type': 'application/octet-stream' }));
}

/**
 * GET /repos/:name/raw/:ref/:path: the file with a sniffed content type, and headers that keep a
 * browser from running it (an HTML file in a repo is someone else's page): no scripts, no
 * subresources, a sandboxed origin, no type sniffing of its own. A ref with a `/` in it is sent
 * percent-encoded as one segment (`feature%2Fx`); the path may span segments.
 */
async function rawRoute(ctx: RouteContext): Promise<Reply> {
  const ref = refParam(ctx.params.ref ?? '');
  const path = pathParam(ctx.params.path ?? '');
  const blob = await fileAt(repoOf(ctx), ref, path);
  return blobReply(blob, (first) => ({
    'Content-Type': contentTypeOf(path, first),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  }));
}

/** Runs a content handler in one of the emulator's content slots; a streamed answer keeps its slot until the stream ends. */
function inSlot(handler: (ctx: RouteContext) => Promise<Reply>): (ctx: RouteContext) => Promise<Reply> {
  return async (ctx) => {
    const release = await ctx.emu.contentReads.acquire();
    let reply: Reply;
    try {
      reply = await handler(ctx);
    } catch (e) {
      release();
      throw e;
    }
    const stream = reply.stream;
    if (!stream) {
      release();
      return reply;
    }
    return { ...reply, stream: (res) => stream(res).finally(release) };
  };
}

export const repoLog = inSlot(logRoute);
export const repoCommit = inSlot(commitRoute);
export const repoTree = inSlot(treeRoute);
export const repoBlob = inSlot(blobRoute);
export const repoFile = inSlot(fileRoute);
export const repoRaw = inSlot(rawRoute);
