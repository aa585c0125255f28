// `wrangler auth token --json`, time-bounded. Output forms (docs/git-and-artifacts-behaviour.md,
// "wrangler auth token --json"):
// {"type":"api_token"|"oauth","token":…} usable as Bearer; {"type":"api_key",…} is not.
import path from 'node:path';
import { run } from '../child-process.js';
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

/** `now` is the clock deadline is read on (the caller's injected one). */
export async function runWranglerAuthToken(env: NodeJS.ProcessEnv, deadline: number, now: () => number = Date.now): Promise<string | undefined> {
  let result;
  try {
    // wrangler may print a banner or update notice: captured, so nothing of it reaches git's
    // stdout. run() gives it its own process group and ends the group at the bound, so a
    // child of wrangler that keeps stdout open cannot hold us (and git) past it.
    // Not in our working directory: git starts us inside the repository, and wrangler reads
    // a `.env` there into its environment (CLOUDFLARE_API_TOKEN, WRANGLER_TOKEN_URL, …:
    // https://developers.cloudflare.com/workers/wrangler/system-environment-variables/), so a
    // cloned repo could pick the token or send the OAuth refresh to its own server.
    result = await run(['wrangler', 'auth', 'token', '--json'], {
      env,
      cwd: path.parse(process.cwd()).root,
      timeoutMs: Math.max(1, Math.min(wranglerTimeoutMs, deadline - now())),
      label: 'wrangler auth token --json',
      hint: 'set CLOUDFLARE_API_TOKEN instead of relying on wrangler',
    });
  } catch (e) {
    // Not installed, not startable or printing nonsense: not a source, the next one decides.
    // Only a wrangler that does not answer in time is worth saying so.
    if (e instanceof ArtifactsError && e.code === 'process.failed') return undefined;
    throw e;
  }
  if (result.exitCode !== 0) {
    // Installed and started, but no login to hand out (never logged in, or the OAuth login
    // expired and could not be refreshed): say that, not "install wrangler".
    const exited = `\`wrangler auth token --json\` exited ${result.exitCode ?? 'on a signal'}`;
    throw new ArtifactsError('auth.missing', `wrangler is installed but not logged in, or its login expired (${exited})`, {
      hint: 'sign in once with `git-credential-artifacts login`, or run `wrangler login` again',
    });
  }
  return parseWranglerOutput(result.stdout);
}
