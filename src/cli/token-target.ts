// Which cache entry `token` serves: exactly the one git's own `get` would use for that repo
// (cacheKeyFor over decide(), as src/credential/main.ts does), so a token printed here and the
// one git is answered with are one entry, minted once under one lock. The endpoint is what
// configure wrote into the global gitconfig (our helper line's flags, its account in
// artifacts.account), else the --git-url/--api-url/--account flags, read by the one rule
// configure and the helper use (endpointFromFlags).
import { flagsOf, parseHelperArgs } from '../credential/args.js';
import { cacheKeyFor } from '../credential/cached-answer.js';
import { decide } from '../credential/request.js';
import { cloudflareEndpoint, credentialUrl, endpointFromFlags, type Endpoint, type EndpointFlags } from '../endpoint/endpoint.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError } from '../errors.js';
import { parseHelperCommand } from '../gitconfig/helper-command.js';
import type { CacheKey } from '../token/cache.js';
import { resolveSettings, type Scope, type Settings } from '../token/settings.js';
import type { Deps } from './deps.js';

export interface TokenTarget {
  key: CacheKey;
  ref: RepoRef;
  /** The configured helper's settings (its --read-ttl …), then the environment, as git's `get` has them. */
  settings: Settings;
}

interface Configured {
  endpoint: Endpoint;
  settings: Map<string, string>;
}

const same = (a: Endpoint, b: Endpoint): boolean => credentialUrl(a) === credentialUrl(b) && a.apiUrl === b.apiUrl;

/** Our helper lines in the global gitconfig, as the helper itself parses its flags; anything else is skipped. */
async function configuredHelpers(deps: Pick<Deps, 'git'>): Promise<Configured[]> {
  const out: Configured[] = [];
  for (const [, value] of await deps.git.globalConfigRegexp('^credential\\..*\\.helper$')) {
    const argv = parseHelperCommand(value);
    if (!argv) continue;
    try {
      const { endpoint, settings } = parseHelperArgs(flagsOf(argv));
      const at = out.findIndex((c) => same(c.endpoint, endpoint));
      if (at !== -1) out.splice(at, 1);
      out.push({ endpoint, settings });
    } catch {
      // A line the helper itself would refuse: doctor names it.
    }
  }
  return out;
}

function pickEndpoint(flags: EndpointFlags, configured: Configured[]): Endpoint {
  if (flags.gitUrl !== undefined || flags.apiUrl !== undefined) return endpointFromFlags(flags).endpoint;
  if (configured.length === 0) return cloudflareEndpoint();
  if (configured.length > 1) {
    const urls = configured.map((c) => credentialUrl(c.endpoint)).join(', ');
    throw new ArtifactsError('usage', `configure set up ${configured.length} endpoints (${urls}); which one is meant?`, {
      hint: 'name it as configure was told: --git-url URL --api-url URL (--account ID), or --api-url URL for Cloudflare\'s hosts',
    });
  }
  return configured[0]!.endpoint;
}

/** The host git would name: a Cloudflare account's own host, or the custom endpoint's. */
function gitHost(endpoint: Endpoint, flags: EndpointFlags, configuredAccount: string | undefined, env: NodeJS.ProcessEnv): { protocol: string; host: string } {
  if (endpoint.kind === 'custom') {
    if (flags.account !== undefined && flags.gitUrl === undefined && flags.account !== endpoint.account) {
      const whose = endpoint.account === undefined ? 'no account (namespace-scoped)' : `account ${endpoint.account}`;
      throw new ArtifactsError('usage', `the configured endpoint ${credentialUrl(endpoint)} is for ${whose}, not ${JSON.stringify(flags.account)}`, {
        hint: 'drop --account, or name the endpoint with --git-url and --api-url as well',
      });
    }
    return { protocol: endpoint.protocol!, host: endpoint.host! };
  }
  const account = flags.account ?? configuredAccount ?? env.CLOUDFLARE_ACCOUNT_ID;
  if (!account || !/^[0-9a-f]{32}$/.test(account)) {
    const problem = account
      ? `${JSON.stringify(account.slice(0, 64))} is not a Cloudflare account id (32 hex digits)`
      : 'which Cloudflare account? none is configured';
    throw new ArtifactsError('usage', problem, {
      hint: 'pass --account <ACCOUNT_ID>, set CLOUDFLARE_ACCOUNT_ID, or run `git-credential-artifacts configure --account <ACCOUNT_ID>`',
    });
  }
  return { protocol: 'https', host: `${account}.artifacts.cloudflare.net` };
}

export async function tokenTarget(ref: RepoRef, scope: Scope, flags: EndpointFlags, deps: Pick<Deps, 'git' | 'io'>): Promise<TokenTarget> {
  const configured = await configuredHelpers(deps);
  const endpoint = pickEndpoint(flags, configured);
  const configuredAccount = (await deps.git.globalConfig('artifacts.account')).at(-1);
  const { protocol, host } = gitHost(endpoint, flags, configuredAccount, deps.io.env);
  const path = `${endpoint.shape === 'account' ? 'git/' : ''}${ref.namespace}/${ref.repo}.git`;
  // The request git would send for this repo, decided as the helper decides it.
  const decision = decide({ fields: new Map([['protocol', protocol], ['host', host], ['path', path]]), lists: new Map() }, [endpoint]);
  if (decision.kind === 'ours-unusable') throw decision.error;
  if (decision.kind === 'not-ours') throw new ArtifactsError('internal', `${protocol}://${host} is not owned by its own endpoint (${decision.why})`);
  const flagsOfHelper = configured.find((c) => same(c.endpoint, endpoint))?.settings ?? new Map<string, string>();
  return { key: cacheKeyFor(decision, endpoint.apiUrl, scope), ref: decision.ref, settings: resolveSettings(flagsOfHelper, deps.io.env) };
}
