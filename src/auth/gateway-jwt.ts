// The namespace-scoped control plane's credential: a gateway JWT (docs/git-and-artifacts-behaviour.md,
// "REST control plane"), from ARTIFACTS_JWT (the name the product brief gives it), then the
// login stored for that API URL (store/logins.ts; no account: that API has none). Never from
// CLOUDFLARE_API_TOKEN or wrangler: those are Cloudflare API credentials, and a namespace-scoped
// API is not Cloudflare's account API (api-token.ts chooses the chain by the API's shape).
import { ArtifactsError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { noTrace, type Trace } from '../trace.js';
import { storedSource, type ApiTokenSource } from './api-token.js';

export const jwtEnv = 'ARTIFACTS_JWT';

export const jwtEnvSource: ApiTokenSource = {
  name: jwtEnv,
  get: async (env) => env[jwtEnv]?.trim() || undefined,
};

export const jwtSources: readonly ApiTokenSource[] = [jwtEnvSource, storedSource];

/**
 * The gateway JWT for apiUrl. It goes into an Authorization header, so it must be one token of
 * visible ASCII; its claims are the gateway's business and are not read here.
 */
export async function resolveGatewayJwt(
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  deadline: number,
  trace: Trace = noTrace,
  sources: readonly ApiTokenSource[] = jwtSources,
): Promise<string> {
  for (const source of sources) {
    const got = await source.get(env, deadline, { apiUrl });
    const found = typeof got === 'string' ? { token: got, source: source.name } : got;
    trace('api-token', { source: found?.source ?? source.name, found: found !== undefined });
    if (!found?.token) continue;
    // Known by value from now on: no message or trace shows it, valid or not.
    rememberSecret(found.token);
    if (!/^[\x21-\x7e]+$/.test(found.token)) {
      throw new ArtifactsError('auth.missing', `the gateway JWT from ${found.source} holds spaces or characters an HTTP header cannot carry`, {
        hint: 'give the JWT alone (header.payload.signature), without quotes or line breaks',
      });
    }
    return found.token;
  }
  throw new ArtifactsError('auth.missing', `no gateway JWT for the namespace-scoped API ${apiUrl}`, {
    hint: `set ${jwtEnv} to the gateway JWT of that deployment, or keep it once with \`git-credential-artifacts login --api-url ${apiUrl}\` (Cloudflare API tokens and wrangler logins are not used for it)`,
  });
}
