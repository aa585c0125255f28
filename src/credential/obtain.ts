// The cold path of `get`: take the per-key lock (single flight), look again, and mint only if
// no other process did meanwhile. Loaded lazily by main.ts.
import { controlPlaneToken } from '../auth/api-token.js';
import { controlPlane, type ControlPlane } from '../controlplane/routes.js';
import { mintRepoToken } from '../controlplane/tokens.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError, isArtifactsError } from '../errors.js';
import { ensurePrivateDir } from '../private-file.js';
import type { CacheKey, TokenCache } from '../token/cache.js';
import { acquireLock } from '../token/lock.js';
import { usableFresh, usableFromCache, type CachedToken } from '../token/policy.js';
import type { Settings } from '../token/settings.js';
import { rememberSecret } from '../redact.js';
import type { Trace } from '../trace.js';
import type { CreateMode } from '../operation-file.js';

export interface ObtainOptions {
  key: CacheKey;
  ref: RepoRef;
  cache: TokenCache;
  settings: Settings;
  env: NodeJS.ProcessEnv;
  now: () => number;
  trace: Trace;
  /** A warning for the user (stderr), redacted like any message. */
  warn: (message: string) => void;
  /**
   * For a write: whether a repo the API does not know may be created (the remote helper's
   * reading of artifacts.createOnPush, from the operation file); undefined: never.
   */
  create?: CreateMode;
  /** Also required of a cached token (`token --ttl`: none that outlives the lifetime asked for). */
  accept?: (token: CachedToken) => boolean;
}

export async function obtainToken(o: ObtainOptions): Promise<CachedToken> {
  // One clock for the deadline and everything that reads it (the lock, the API-token chain, the
  // API client): Io.now, which main.ts hands over.
  const deadline = o.now() + o.settings.timeoutMs;
  const fromCache = (): CachedToken | undefined => {
    const t = o.cache.read(o.key);
    return t && usableFromCache(t, o.now(), o.settings.refreshMargin) && (o.accept?.(t) ?? true) ? t : undefined;
  };
  ensurePrivateDir(o.cache.dir);
  const waitStarted = o.now();
  const locked = await lockOrFound(o, deadline, fromCache);
  if ('found' in locked) {
    o.trace('cache.hit', { scope: o.key.scope, id: locked.found.id, after: 'waiting for another process', waitMs: o.now() - waitStarted });
    return locked.found;
  }
  try {
    const again = fromCache();
    if (again) {
      o.trace('cache.hit', { scope: o.key.scope, id: again.id, after: 'lock' });
      return again;
    }
    return await mintAndCache(o, deadline);
  } finally {
    locked.release();
  }
}

/** The per-key lock, or the token another process cached while this one waited for it. */
async function lockOrFound(
  o: ObtainOptions,
  deadline: number,
  fromCache: () => CachedToken | undefined,
): Promise<{ release: () => void } | { found: CachedToken }> {
  let found: CachedToken | undefined;
  let release;
  try {
    release = await acquireLock(o.cache.lockPath(o.key), {
      deadline,
      now: o.now,
      // A holder keeps the lock at most for its own time limit; past that it is stale.
      staleMs: o.settings.timeoutMs + 5_000,
      satisfied: () => (found = fromCache()) !== undefined,
    });
  } catch (e) {
    // The lock only saves mints; a full or read-only disk must not stop this git command.
    if (!isArtifactsError(e) || e.code !== 'cache.io') throw e;
    o.trace('lock.unavailable', { error: e.message });
    release = () => {};
  }
  return release ? { release } : { found: found! };
}

/** Mints a repo token (the lock held) and caches it. */
async function mintAndCache(o: ObtainOptions, deadline: number): Promise<CachedToken> {
  // The shape of the API URL picks the routes and the credential chain (routes.ts, api-token.ts).
  const cp = controlPlane(o.key.apiUrl, o.key.account || undefined);
  const apiToken = await controlPlaneToken(cp, o.env, deadline, o.trace, o.now);
  const started = o.now();
  o.trace('mint.start', { scope: o.key.scope, namespace: o.ref.namespace, repo: o.ref.repo, ttl: o.settings.ttl[o.key.scope] });
  const token = await mintOrCreate(o, cp, { apiToken, deadline, now: o.now, trace: o.trace });
  const left = token.expiresAt === undefined ? undefined : Math.floor(token.expiresAt - o.now() / 1000);
  o.trace('mint.done', { scope: o.key.scope, id: token.id, status: 201, ms: o.now() - started, secondsLeft: left });
  if (!usableFresh(token, o.now())) {
    throw new ArtifactsError('api.invalid_response', 'the token the API just minted has already expired', {
      hint: "check this machine's clock (the expiry comes from the server)",
    });
  }
  rememberSecret(token.plaintext);
  try {
    o.cache.write(o.key, token);
  } catch (e) {
    // The token is good; losing it would only make git fail now and mint again next time.
    // Answer it this once, and say why the next command will mint again.
    o.trace('cache.write-failed', { error: (e as Error).message });
    o.warn(`could not cache the new ${o.key.scope} token (${(e as Error).message}); using it for this command only, the next one will mint again`);
  }
  return token;
}

type MintOptions = Parameters<typeof mintRepoToken>[4];

/**
 * The mint; for a push through git-remote-artifacts to a repo that does not exist yet (404),
 * create it and mint once more (issue 23). Under the key's lock, so concurrent pushes to one
 * new repo create and mint once: the others find the token in the cache.
 */
async function mintOrCreate(o: ObtainOptions, cp: ControlPlane, options: MintOptions): Promise<CachedToken> {
  const mint = () => mintRepoToken(cp, o.ref, o.key.scope, o.settings.ttl[o.key.scope], options);
  try {
    return await mint();
  } catch (e) {
    if (o.key.scope !== 'write' || !o.create || !isArtifactsError(e) || e.code !== 'api.not_found') throw e;
    const { createOnPush, untilVisible } = await import('./create-on-push.js');
    const { created } = await createOnPush({ cp, ref: o.ref, mode: o.create, notFound: e, request: options, say: o.warn });
    // Created by a concurrent push: it may take a moment to be visible to the mint.
    return created ? mint() : untilVisible(mint, options.deadline, o.now);
  }
}
