// `token <namespace>/<repo> [--scope read|write] [--ttl S] [--json]`: one repo token on stdout,
// for what git's helper cannot serve: an `http.extraHeader` Bearer, curl, ArtifactFS, a sandbox
// handed one read token (issue 23). It is git's own cache entry and single flight
// (token-target.ts, src/credential/obtain.ts): a token git already has is printed, and a second
// call mints nothing. The token goes to stdout only: traces name its id, and every message that
// could echo it is redacted (it is remembered as a secret before anything else is said).
import { cachedAnswer } from '../../credential/cached-answer.js';
import { ArtifactsError } from '../../errors.js';
import { credentialTool } from '../../names.js';
import { rememberSecret } from '../../redact.js';
import { say } from '../../report.js';
import type { CachedToken } from '../../token/policy.js';
import { maxTtl, minTtl, type Scope } from '../../token/settings.js';
import { makeTrace } from '../../trace.js';
import type { Deps } from '../deps.js';
import { parseRepoArg } from '../repo-arg.js';
import { whileSlow } from '../slow-notice.js';
import { tokenTarget } from '../token-target.js';

export interface TokenOptions {
  scope?: string;
  ttl?: string;
  json?: boolean;
  gitUrl?: string;
  apiUrl?: string;
  account?: string;
}

const tool = credentialTool;
/** Server and local clocks differ: a token minted with --ttl S may end a little after now + S. */
const ttlSlackSeconds = 60;

function parseTtl(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < minTtl || Number(raw) > maxTtl) {
    const got = JSON.stringify(raw.slice(0, 40));
    throw new ArtifactsError('usage', `--ttl must be a whole number of seconds from ${minTtl} to ${maxTtl}, got ${got}`, { hint: 'e.g. --ttl 600' });
  }
  return Number(raw);
}

export async function token(repo: string, o: TokenOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  const scope: Scope = o.scope === 'write' ? 'write' : 'read';
  if (o.scope !== undefined && o.scope !== 'read' && o.scope !== 'write') {
    throw new ArtifactsError('usage', `--scope must be read or write, got ${JSON.stringify(o.scope)}`);
  }
  const ttl = o.ttl === undefined ? undefined : parseTtl(o.ttl);
  const ref = parseRepoArg(repo);
  const { key, settings } = await tokenTarget(ref, scope, o, deps);
  if (ttl !== undefined) settings.ttl[scope] = ttl;
  const accept = ttl === undefined ? undefined : (t: CachedToken) => t.expiresAt !== undefined && t.expiresAt <= deps.now() / 1000 + ttl + ttlSlackSeconds;
  const trace = makeTrace(tool, io.env, (line) => io.stderr.write(line));
  const cached = cachedAnswer(deps.cache, key, deps.now(), settings.refreshMargin);
  let found: CachedToken;
  if (cached.kind === 'hit' && (accept?.(cached.token) ?? true)) {
    trace('cache.hit', { scope, id: cached.token.id });
    found = cached.token;
  } else {
    const { obtainToken } = await import('../../credential/obtain.js');
    const warn = (message: string): void => say(tool, io.stderr, message);
    const mint = () => obtainToken({ key, ref, cache: deps.cache, settings, env: io.env, now: deps.now, trace, warn, ...(accept ? { accept } : {}) });
    found = await whileSlow(io.stderr, `minting a ${scope} token for ${ref.namespace}/${ref.repo}...`, mint);
  }
  rememberSecret(found.plaintext);
  const expiresAt = found.expiresAt === undefined ? null : new Date(found.expiresAt * 1000).toISOString();
  io.stdout.write(o.json ? `${JSON.stringify({ token: found.plaintext, scope, expires_at: expiresAt })}\n` : `${found.plaintext}\n`);
  return 0;
}
