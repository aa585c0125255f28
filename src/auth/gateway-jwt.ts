// The namespace-scoped control plane's credential: a gateway JWT (docs/git-and-artifacts-behaviour.md,
// "REST control plane"), from ARTIFACTS_JWT, then the login stored for that API URL
// (store/logins.ts; no account: that API has none). Never from CLOUDFLARE_API_TOKEN or wrangler:
// those are Cloudflare API credentials, and a namespace-scoped API is not Cloudflare's account
// API (credential-origin.ts chooses the chain by the API URL; api-token.ts walks it).
import { ArtifactsError } from '../errors.js';
import { gatewayJwtEnv } from './credential-origin.js';
import type { FoundApiToken } from './sources.js';

/**
 * A found JWT goes into an Authorization header, so it must be one token of visible ASCII; its
 * claims are the gateway's business and are not read here.
 */
export function gatewayJwtChecked(found: FoundApiToken): void {
  if (/^[\x21-\x7e]+$/.test(found.token)) return;
  throw new ArtifactsError('auth.missing', `the gateway JWT from ${found.source} holds spaces or characters an HTTP header cannot carry`, {
    hint: 'give the JWT alone (header.payload.signature), without quotes or line breaks',
  });
}

export function gatewayJwtMissing(apiUrl: string): ArtifactsError {
  return new ArtifactsError('auth.missing', `no gateway JWT for the namespace-scoped API ${apiUrl}`, {
    hint:
      `set ${gatewayJwtEnv} to the gateway JWT of that deployment, or keep it once with ` +
      `\`git-credential-artifacts login --api-url ${apiUrl}\` (Cloudflare API tokens and wrangler logins are not used for it)`,
  });
}
