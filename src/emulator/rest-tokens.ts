// Token routes (docs/git-and-artifacts-behaviour.md, "REST routes") and issueToken, shared with
// create/fork/import.
import type { EmulatorContext, Reply, RouteContext } from './context.js';
import { codes, invalid, notFound, RestError } from './envelope.js';
import { repoNameError } from './validation.js';
import { enumParam, intParam, offsetPage } from './pagination.js';
import type { RepoRecord, Scope, TokenRecord } from './state.js';
import { defaultTokenPrefix, formatPlaintext, hashSecret, newSecret, newTokenId } from './tokens.js';

export const ttlMin = 60;
export const ttlMax = 31_536_000;
export const ttlDefault = 86_400;

export interface IssuedToken {
  record: TokenRecord;
  plaintext: string;
  /** What the client is told (may differ from the record under the reportAskedExpiry aid). */
  expiresAt: string;
}

/** Mints a token for `repo` (caller saves the store). */
export function issueToken(emu: EmulatorContext, repo: RepoRecord, scope: Scope, ttlSeconds: number): IssuedToken {
  const now = emu.store.now();
  const cap = emu.faults.settings.tokenLifetimeSeconds; // test aid: shorter server-side lifetime
  const lifetime = cap === null ? ttlSeconds : Math.min(cap, ttlSeconds);
  const realExpiry = now + lifetime * 1000;
  const toldExpiry = cap !== null && emu.faults.settings.reportAskedExpiry ? now + ttlSeconds * 1000 : realExpiry;
  const eu = emu.store.namespace(repo.namespace)?.jurisdiction === 'eu';
  const secret = newSecret(emu.faults.settings.tokenPrefix ?? (eu ? 'art_v2_e_' : defaultTokenPrefix));
  const record: TokenRecord = {
    id: uniqueId(emu),
    repo_id: repo.id,
    namespace: repo.namespace,
    repo: repo.name,
    scope,
    secret_hash: hashSecret(secret),
    created_at: emu.store.iso(now),
    expires_at: emu.store.iso(realExpiry),
    revoked_at: null,
  };
  emu.store.addToken(record);
  return { record, plaintext: formatPlaintext(secret, toldExpiry), expiresAt: emu.store.iso(toldExpiry) };
}

function uniqueId(emu: EmulatorContext): string {
  for (;;) {
    const id = newTokenId();
    if (!emu.store.tokenById(id)) return id;
  }
}

/** A repo by name that is ready for use, else the documented 404 / 409 / failure. */
export function readyRepo(emu: EmulatorContext, ns: string, name: string): RepoRecord {
  const repo = emu.store.repo(ns, name);
  if (!repo) throw notFound(`repo ${ns}/${name} not found`);
  if (repo.status === 'importing') throw new RestError(409, codes.importInProgress, `repo ${ns}/${name} is being imported; retry later`);
  if (repo.status === 'forking') throw new RestError(409, codes.forkInProgress, `repo ${ns}/${name} is being forked; retry later`);
  if (repo.status === 'failed') {
    const f = repo.failure ?? { code: codes.internal, message: 'import failed' };
    throw new RestError(500, f.code, `repo ${ns}/${name} failed to import or fork: ${f.message}`);
  }
  return repo;
}

function parseTtl(value: unknown): number {
  if (value === undefined || value === null) return ttlDefault;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < ttlMin || value > ttlMax) {
    throw new RestError(400, codes.invalidTtl, `ttl must be between ${ttlMin} and ${ttlMax} seconds`);
  }
  return value;
}

function parseScope(value: unknown): Scope {
  if (value === undefined || value === null) return 'write';
  if (value !== 'read' && value !== 'write') throw invalid('scope must be "read" or "write"');
  return value;
}

/** POST /tokens */
export async function mintToken(ctx: RouteContext): Promise<Reply> {
  const body = ctx.body;
  if (body.repo === undefined || body.repo === null) throw invalid('repo is required');
  if (typeof body.repo !== 'string') throw invalid('repo must be a string (the repo name)');
  const name = body.repo;
  const nameError = repoNameError(name);
  if (nameError) throw new RestError(400, codes.invalidRepoName, nameError);
  const scope = parseScope(body.scope);
  const ttl = parseTtl(body.ttl);
  const repo = readyRepo(ctx.emu, ctx.ns, name);
  const issued = issueToken(ctx.emu, repo, scope, ttl);
  await ctx.emu.store.save();
  return {
    status: 201,
    minted: issued.record.id,
    result: { id: issued.record.id, plaintext: issued.plaintext, scope, expires_at: issued.expiresAt },
  };
}

/** GET /repos/:name/tokens */
export async function listTokens(ctx: RouteContext): Promise<Reply> {
  const state = enumParam(ctx.query, 'state', ['active', 'expired', 'revoked', 'all'] as const, 'active');
  const perPage = intParam(ctx.query, 'per_page', 30, 1, 100);
  const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
  const repo = readyRepo(ctx.emu, ctx.ns, ctx.name);
  const store = ctx.emu.store;
  const items = store
    .tokensOf(repo)
    .map((t) => ({ id: t.id, scope: t.scope, state: store.tokenState(t), created_at: t.created_at, expires_at: t.expires_at }))
    .filter((t) => state === 'all' || t.state === state)
    .sort((a, b) => (a.created_at === b.created_at ? a.id.localeCompare(b.id) : a.created_at < b.created_at ? 1 : -1));
  const { page: slice, info } = offsetPage(items, page, perPage);
  return { status: 200, result: slice, resultInfo: info };
}

/** DELETE /tokens/:id (idempotent: revoking a revoked token answers 200 again). */
export async function revokeToken(ctx: RouteContext): Promise<Reply> {
  const token = ctx.emu.store.tokenById(ctx.id);
  if (!token || token.namespace !== ctx.ns) throw notFound(`token ${ctx.id} not found in namespace ${ctx.ns}`);
  if (token.revoked_at === null) {
    token.revoked_at = ctx.emu.store.iso();
    await ctx.emu.store.save();
  }
  return { status: 200, result: { id: token.id } };
}
