// `wrangler auth token --json`, time-bounded. Output forms (artifacts-api.md §4):
// {"type":"api_token"|"oauth","token":…} usable as Bearer; {"type":"api_key",…} is not.
import { ArtifactsError } from '../errors.js';

const wranglerTimeoutMs = 10_000;

export function parseWranglerOutput(stdout: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, token } = parsed as { type?: unknown; token?: unknown };
  if (type === 'api_key') {
    throw new ArtifactsError('auth.missing', 'wrangler is logged in with a global API key, which cannot mint Artifacts tokens', {
      hint: 'set CLOUDFLARE_API_TOKEN to an API token with "Artifacts Edit", or run `wrangler login`',
    });
  }
  return (type === 'api_token' || type === 'oauth') && typeof token === 'string' && token ? token : undefined;
}

export async function runWranglerAuthToken(env: NodeJS.ProcessEnv, deadline: number): Promise<string | undefined> {
  const { execa } = await import('execa');
  const timeout = Math.max(1, Math.min(wranglerTimeoutMs, deadline - Date.now()));
  try {
    const result = await execa('wrangler', ['auth', 'token', '--json'], {
      env,
      extendEnv: false,
      timeout,
      stdin: 'ignore',
      reject: false,
      // wrangler may print a banner or update notice; nothing of it reaches git's stdout.
      stdout: 'pipe',
      stderr: 'pipe',
    });
    if (result.failed && (result as { code?: string }).code === 'ENOENT') return undefined;
    if (result.timedOut) {
      throw new ArtifactsError('api.timeout', `\`wrangler auth token --json\` did not answer within ${Math.round(timeout / 1000)} s`, {
        hint: 'set CLOUDFLARE_API_TOKEN instead of relying on wrangler',
      });
    }
    if (result.exitCode !== 0) return undefined;
    return parseWranglerOutput(String(result.stdout));
  } catch (e) {
    if (e instanceof ArtifactsError) throw e;
    return undefined;
  }
}
