// The control-plane credential, from the first source of the chain its API URL's rule allows
// (credential-origin.ts; docs/credential-flow.md, "Where the API token comes from"):
// - Cloudflare's API (or the environment's CLOUDFLARE_API_BASE_URL): CLOUDFLARE_API_TOKEN, the
//   login stored for (API URL, account), the login for the API URL, `wrangler auth token --json`
//   (docs/git-and-artifacts-behaviour.md; we never read wrangler's files: they move, may be
//   encrypted, and skip OAuth refresh);
// - any other account-scoped API: ARTIFACTS_API_TOKEN, the logins for exactly that URL;
// - a namespace-scoped API: ARTIFACTS_JWT, the login for that URL (gateway-jwt.ts).
// One lookup walks a chain for a mint (findToken) and for status and doctor (describe), so they
// can never disagree. Only a mint comes here: the cached `get` never reads a store or starts wrangler.
import type { ControlPlane } from '../controlplane/routes.js';
import { ArtifactsError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { noTrace, type Trace } from '../trace.js';
import { cloudflareTokenEnv, credentialRule, otherApiTokenEnv, type RuleChoice } from './credential-origin.js';
import { gatewayJwtChecked, gatewayJwtMissing } from './gateway-jwt.js';
import {
  envSource,
  storedSource,
  wranglerSource,
  type ApiTokenSource,
  type ApiTokenTarget,
  type FoundApiToken,
  type PeekOptions,
  type SourceReport,
} from './sources.js';

export type { ApiTokenSource, ApiTokenTarget, FoundApiToken, SourceReport } from './sources.js';

/** The sources an API URL may take its credential from, in order, and what to say when none has one. */
export interface TokenChain extends RuleChoice {
  sources: readonly ApiTokenSource[];
  missing(env: NodeJS.ProcessEnv): ArtifactsError;
  /** Throws when a found token cannot be used (a JWT with spaces); it is remembered as a secret first. */
  check?(found: FoundApiToken): void;
}

/** The chain for target under env; `stored` and `wrangler` replaceable for tests. */
export function chainFor(target: ApiTokenTarget, env: NodeJS.ProcessEnv, o: { stored?: ApiTokenSource; wrangler?: ApiTokenSource } = {}): TokenChain {
  const choice = credentialRule(target.apiUrl, env);
  const stored = o.stored ?? storedSource;
  switch (choice.rule) {
    case 'gateway':
      return { ...choice, sources: [envSource('ARTIFACTS_JWT'), stored], missing: () => gatewayJwtMissing(target.apiUrl), check: gatewayJwtChecked };
    case 'other':
      return { ...choice, sources: [envSource(otherApiTokenEnv), stored], missing: (e) => otherApiMissing(target.apiUrl, e) };
    default:
      return { ...choice, sources: [envSource(cloudflareTokenEnv), stored, o.wrangler ?? wranglerSource], missing: cloudflareMissing };
  }
}

/**
 * The first token the chain has, remembered as a secret; the chain's own error when none.
 * `now` is the clock `deadline` is read on (the caller's injected one; Date.now for those without).
 */
export async function findToken(
  chain: TokenChain,
  env: NodeJS.ProcessEnv,
  deadline: number,
  target: ApiTokenTarget,
  trace: Trace = noTrace,
  now: () => number = Date.now,
): Promise<FoundApiToken> {
  for (const source of chain.sources) {
    const found = await source.get(env, deadline, target, now);
    trace('api-token', { source: found?.source ?? source.name, found: found !== undefined, rule: chain.rule });
    if (!found?.token) continue;
    // Known by value from now on: whatever its format, valid or not, no message or trace shows it.
    rememberSecret(found.token);
    chain.check?.(found);
    return found;
  }
  throw chain.missing(env);
}

/** What a mint for target would use now, by name, reading no token: for `status` and `doctor`. */
export async function describeApiTokenSource(
  env: NodeJS.ProcessEnv,
  target: ApiTokenTarget,
  o: PeekOptions = {},
  chain = chainFor(target, env),
): Promise<SourceReport & RuleChoice> {
  const rule = { rule: chain.rule, because: chain.because };
  for (const source of chain.sources) {
    const report = await source.peek(env, target, o);
    if (report) return { ...report, ...rule };
  }
  return { source: 'none', ...rule };
}

/**
 * The credential for a control plane. Never across rules: a JWT is not sent to
 * api.cloudflare.com, nor a Cloudflare token to a gateway, the emulator or a proxy.
 */
export async function controlPlaneToken(
  cp: ControlPlane,
  env: NodeJS.ProcessEnv,
  deadline: number,
  trace: Trace = noTrace,
  now: () => number = Date.now,
): Promise<string> {
  const target = { apiUrl: cp.apiUrl, ...(cp.shape === 'account' ? { account: cp.account } : {}) };
  return (await findToken(chainFor(target, env), env, deadline, target, trace, now)).token;
}

function cloudflareMissing(): ArtifactsError {
  return new ArtifactsError('auth.missing', 'no Cloudflare API token to mint repo tokens with', {
    hint:
      'sign in once with `git-credential-artifacts login` (an API token with "Artifacts Edit" permission), ' +
      'or set CLOUDFLARE_API_TOKEN, or install wrangler and run `wrangler login`',
  });
}

function otherApiMissing(apiUrl: string, env: NodeJS.ProcessEnv): ArtifactsError {
  const unused = env[cloudflareTokenEnv]?.trim() ? ` (${cloudflareTokenEnv} is set, but a Cloudflare credential goes to Cloudflare's API only)` : '';
  return new ArtifactsError('auth.missing', `no API token for ${apiUrl}, which is not Cloudflare's API${unused}`, {
    hint:
      `sign in for it once with \`git-credential-artifacts login --api-url ${apiUrl}\`, ` +
      `or set ${otherApiTokenEnv} to its token (the emulator prints the one it accepts)`,
  });
}
