// `wrangler auth token --json`, time-bounded. Output forms (docs/git-and-artifacts-behaviour.md,
// "wrangler auth token --json"):
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
  const posix = process.platform !== 'win32';
  try {
    const child = execa('wrangler', ['auth', 'token', '--json'], {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      // wrangler may print a banner or update notice; nothing of it reaches git's stdout.
      stdout: 'pipe',
      stderr: 'pipe',
      // Its own process group, so the time bound ends wrangler AND anything it started: a
      // child that keeps stdout open would otherwise hold us (and git) past the bound.
      detached: posix,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, () => child.kill('SIGKILL'));
    }, timeout);
    let result;
    try {
      result = await child;
    } finally {
      clearTimeout(timer);
    }
    if (timedOut) {
      throw new ArtifactsError('api.timeout', `\`wrangler auth token --json\` did not answer within ${Math.round(timeout / 1000)} s`, {
        hint: 'set CLOUDFLARE_API_TOKEN instead of relying on wrangler',
      });
    }
    if (result.failed && (result as { code?: string }).code === 'ENOENT') return undefined;
    if (result.exitCode !== 0) return undefined;
    return parseWranglerOutput(String(result.stdout));
  } catch (e) {
    if (e instanceof ArtifactsError) throw e;
    return undefined;
  }
}

/** SIGKILL to the whole process group led by pid (POSIX); elsewhere the fallback. */
function killGroup(pid: number | undefined, fallback: () => void): void {
  if (pid !== undefined && process.platform !== 'win32') {
    try {
      process.kill(-pid, 'SIGKILL');
      return;
    } catch {
      // The group is gone already.
    }
  }
  fallback();
}
