// The control-plane credential (a Cloudflare API token with Artifacts Edit), from the first
// source that has one: CLOUDFLARE_API_TOKEN, then the stored login (seam for `login`, which
// keeps it in the OS keychain), then `wrangler auth token --json`
// (docs/git-and-artifacts-behaviour.md, "wrangler auth token --json"; we never read
// wrangler's files: they move, may be encrypted, and skip OAuth refresh).
import { ArtifactsError } from '../errors.js';
import { rememberSecret } from '../redact.js';
import { noTrace, type Trace } from '../trace.js';

export interface ApiTokenSource {
  name: string;
  get(env: NodeJS.ProcessEnv, deadline: number): Promise<string | undefined>;
}

export const envSource: ApiTokenSource = {
  name: 'CLOUDFLARE_API_TOKEN',
  get: async (env) => env.CLOUDFLARE_API_TOKEN?.trim() || undefined,
};

/** No stored login exists until `login` lands; the source is here so order stays right. */
export const storedSource: ApiTokenSource = {
  name: 'stored login',
  get: async () => undefined,
};

export const wranglerSource: ApiTokenSource = {
  name: 'wrangler',
  get: async (env, deadline) => {
    const { runWranglerAuthToken } = await import('./wrangler.js');
    return runWranglerAuthToken(env, deadline);
  },
};

export const defaultSources: readonly ApiTokenSource[] = [envSource, storedSource, wranglerSource];

export async function resolveApiToken(
  env: NodeJS.ProcessEnv,
  deadline: number,
  sources: readonly ApiTokenSource[] = defaultSources,
  trace: Trace = noTrace,
): Promise<string> {
  for (const source of sources) {
    const token = await source.get(env, deadline);
    trace('api-token', { source: source.name, found: token !== undefined });
    if (token) {
      // Known by value from now on: whatever its format, no message or trace shows it.
      rememberSecret(token);
      return token;
    }
  }
  throw new ArtifactsError('auth.missing', 'no Cloudflare API token to mint repo tokens with', {
    hint: 'set CLOUDFLARE_API_TOKEN to an API token with "Artifacts Edit" permission, or install wrangler and run `wrangler login`',
  });
}
