// Which credentials may go to a control plane, by its URL (issue 21, H1), the way gh keeps
// GH_TOKEN for github.com and GH_ENTERPRISE_TOKEN for every other host
// (https://cli.github.com/manual/gh_help_environment). A Cloudflare credential
// (CLOUDFLARE_API_TOKEN, wrangler's login) goes only to Cloudflare's API, or to the base URL the
// user's own environment names with wrangler's CLOUDFLARE_API_BASE_URL: never to a URL that only
// gitconfig names, since a stopped emulator's loopback port can be taken by another local user,
// and a gitconfig line is easier to plant than an environment. Every other API takes a login for
// exactly that URL, or ARTIFACTS_API_TOKEN. Pure.
import { apiShape } from '../endpoint/api-shape.js';
import { cloudflareApiUrl, parseApiUrl } from '../endpoint/endpoint.js';

import { cloudflareBaseEnv, cloudflareTokenEnv, gatewayJwtEnv, otherApiTokenEnv } from '../credential-env.js';

export { cloudflareBaseEnv, cloudflareTokenEnv, gatewayJwtEnv, otherApiTokenEnv } from '../credential-env.js';

export type CredentialRule =
  /** Cloudflare's own API: CLOUDFLARE_API_TOKEN, a login for it, wrangler. */
  | 'cloudflare'
  /** The API that CLOUDFLARE_API_BASE_URL names in the user's environment: as Cloudflare's. */
  | 'env-base'
  /** Any other account-scoped API (the emulator, a gateway of one's own): ARTIFACTS_API_TOKEN, a login for it. */
  | 'other'
  /** A namespace-scoped API: ARTIFACTS_JWT, a login for it. */
  | 'gateway';

export interface RuleChoice {
  rule: CredentialRule;
  /** In words, for trace, status and doctor: why this API gets these credentials. */
  because: string;
}

/** The rule for a normalised API URL (parseApiUrl) under env. */
export function credentialRule(apiUrl: string, env: NodeJS.ProcessEnv): RuleChoice {
  if (apiShape(apiUrl) === 'namespace') {
    return { rule: 'gateway', because: `${apiUrl} is namespace-scoped: ${gatewayJwtEnv} or a login for it` };
  }
  if (apiUrl === cloudflareApiUrl) {
    return { rule: 'cloudflare', because: `${apiUrl} is Cloudflare's API: ${cloudflareTokenEnv}, a login for it, or wrangler` };
  }
  if (envBase(env) === apiUrl) {
    return { rule: 'env-base', because: `${apiUrl} is the ${cloudflareBaseEnv} of this environment: ${cloudflareTokenEnv}, a login for it, or wrangler` };
  }
  return {
    rule: 'other',
    because:
      `${apiUrl} is not Cloudflare's API: only ${otherApiTokenEnv} or a login for exactly this URL ` +
      `(${cloudflareTokenEnv} and wrangler go to ${cloudflareApiUrl} alone)`,
  };
}

/** CLOUDFLARE_API_BASE_URL, normalised as an --api-url is; undefined when unset or not a URL we would use. */
function envBase(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[cloudflareBaseEnv]?.trim();
  if (!raw) return undefined;
  try {
    return parseApiUrl(raw);
  } catch {
    return undefined;
  }
}
