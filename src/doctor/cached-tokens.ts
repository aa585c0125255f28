// doctor with a repository: the cached tokens a `get` would serve for it, asked of the server
// the way the helper itself asks about a suspect one (src/credential/probe-token.ts), so a token
// revoked on the server is named with its fix instead of a mint that works making all look well.
import { apiShape } from '../endpoint/api-shape.js';
import { probeToken, probeUrl, type ProbeResult } from '../credential/probe-token.js';
import { cloudflareGitAccount } from '../endpoint/endpoint.js';
import { parseRepoPath } from '../endpoint/repo-path.js';
import { credentialTool } from '../names.js';
import type { TokenCache } from '../token/cache.js';
import { isExpired } from '../token/policy.js';
import { fail, ok, warn, type Check } from './check.js';
import { parseUrl } from './urlmatch.js';

export interface CachedTokenTarget {
  url: string;
  apiUrl: string;
  account: string | undefined;
}

export type Probe = (url: string, secret: string, timeoutMs: number) => Promise<ProbeResult>;

export async function cachedTokenChecks(cache: TokenCache, t: CachedTokenTarget, now: number, probe: Probe = probeToken): Promise<Check[]> {
  const u = parseUrl(t.url);
  if (!u || (u.scheme !== 'https' && u.scheme !== 'http')) return [];
  const host = `${u.host}${u.port ? `:${u.port}` : ''}`.toLowerCase();
  const shape = apiShape(t.apiUrl);
  const repoPath = decodeURIComponent(u.path.replace(/^\/+/, ''));
  const ref = parseRepoPath(repoPath, shape);
  if (!ref) return [];
  const account = shape === 'namespace' ? '' : (t.account ?? cloudflareGitAccount(u.host) ?? '');
  const name = `${ref.namespace}/${ref.repo}`;
  const checks: Check[] = [];
  for (const scope of ['read', 'write'] as const) {
    const token = cache.read({ origin: `${u.scheme}://${host}`, apiUrl: t.apiUrl, account, ...ref, scope });
    if (!token || isExpired(token, now)) continue;
    const what = `the cached ${scope} token ${token.id ?? '(no id)'} for ${name}`;
    const result = await probe(probeUrl(u.scheme, host, repoPath), token.secret, 10_000);
    if (result === 'good') checks.push(ok(`cached-${scope}-token`, `${what} is accepted by ${u.scheme}://${host}`));
    else if (result === 'refused') {
      checks.push(fail(`cached-${scope}-token`, `${what} is refused by ${u.scheme}://${host} (revoked, or expired on the server): git fails with it`, `${credentialTool} revoke ${name} --scope ${scope} (drops it; the next git command mints a fresh one)`));
    } else checks.push(warn(`cached-${scope}-token`, `${what} could not be checked: ${u.scheme}://${host} gave no clear answer`));
  }
  return checks;
}
