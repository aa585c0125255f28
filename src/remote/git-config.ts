// The remote helper's settings: the account and API URL for artifacts:// URLs and for the
// helper we inject, and which origins `configure` put our helper on. One `git config` call
// reads them all. Only the system and global scopes (and the environment, which wins) count:
// these settings decide where the user's API token and repo tokens are sent, and a
// repository's own .git/config, a worktree config or `-c`/GIT_CONFIG_COUNT pairs are not the
// user's word on that (git-config(1) --show-scope, git >= 2.26).
import { runSync } from '../child-process.js';
import { ArtifactsError } from '../errors.js';
import { cloudflareApiUrl } from '../endpoint/endpoint.js';
import type { CreateMode } from '../operation-file.js';

export interface RemoteSettings {
  account: { value: string; source: string } | undefined;
  apiUrl: { value: string; source: string };
}

/** Scopes whose settings may send credentials somewhere. */
const trustedScopes = new Set(['system', 'global']);

/**
 * Parses `git config -z --show-scope --get-regexp` output: `scope\0key\nvalue\0` records.
 * Keeps trusted scopes only; the last value wins. Key names are lower-cased as git does.
 */
export function parseConfigZ(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const fields = text.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i]!;
    const record = fields[i + 1]!;
    if (!trustedScopes.has(scope)) continue;
    const nl = record.indexOf('\n');
    // A key without a value (`[artifacts] account`) is boolean true; useless for us.
    if (nl === -1) continue;
    out.set(record.slice(0, nl).toLowerCase(), record.slice(nl + 1));
  }
  return out;
}

export function remoteSettings(env: NodeJS.ProcessEnv, config: ReadonlyMap<string, string>): RemoteSettings {
  const envAccount = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  const cfgAccount = config.get('artifacts.account')?.trim();
  const account = envAccount
    ? { value: envAccount, source: 'CLOUDFLARE_ACCOUNT_ID' }
    : cfgAccount
      ? { value: cfgAccount, source: 'git config artifacts.account' }
      : undefined;
  const cfgApi = config.get('artifacts.apiurl')?.trim();
  const apiUrl = cfgApi ? { value: cfgApi, source: 'git config artifacts.apiUrl' } : { value: cloudflareApiUrl, source: 'default' };
  return { account, apiUrl };
}

/**
 * Settings that reroute or unprotect git's HTTP traffic, so whoever sets them sees the
 * credential: a proxy (http.proxy, http.<url>.proxy, remote.<name>.proxy), a different
 * address for the host (http.curloptResolve), or TLS checks off or replaced.
 */
const transportKey = /^(http\.(.+\.)?(proxy|curloptresolve|sslverify|sslcainfo|sslcapath|sslcert|proxysslcainfo)|remote\..+\.proxy)$/;

/** Such settings in the repository's own (local or worktree) config, as `scope key`. */
export function untrustedTransportKeys(text: string): string[] {
  const out: string[] = [];
  const fields = text.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i]!;
    const key = fields[i + 1]!.split('\n', 1)[0]!.toLowerCase();
    if ((scope === 'local' || scope === 'worktree') && transportKey.test(key)) out.push(`${scope} ${key}`);
  }
  return out;
}

export interface ArtifactsConfig {
  /** artifacts.* and credential.<url>.helper from the system and global scopes. */
  trusted: Map<string, string>;
  /** Transport settings from the repository's own config (see untrustedTransportKeys). */
  untrusted: string[];
}

/** One `git config` run for everything the remote helper decides on. */
export async function readArtifactsConfig(env: NodeJS.ProcessEnv, cwd: string): Promise<ArtifactsConfig> {
  const args = ['config', '-z', '--show-scope', '--get-regexp', '^artifacts\\.|^credential\\..*\\.helper$|^http\\.|^remote\\..*\\.proxy$'];
  // Exit 1 means no such keys; a git that fails otherwise, or cannot start (then git's own
  // transport cannot either, and says so), leaves the defaults in place too: with no
  // registered origins nothing but Cloudflare's own hosts gets a credential. A git that does
  // not answer in time is an error (process.timeout): we could not check the transport keys.
  let text = '';
  try {
    // Synchronous: nothing else happens before the answer, and it is cheaper (child-process.ts).
    const { exitCode, stdout } = runSync(['git', ...args], { env, cwd, timeoutMs: 10_000, label: 'git config --get-regexp' });
    text = exitCode !== 0 && !stdout ? '' : stdout;
  } catch (e) {
    if (!(e instanceof ArtifactsError && e.code === 'process.failed')) throw e;
  }
  return { trusted: parseConfigZ(text), untrusted: untrustedTransportKeys(text) };
}

/**
 * `artifacts.createOnPush` (trusted scopes only, like every setting here): whether a push to a
 * repo the API does not know creates it (issue 23). On unless set to one of git's false words
 * (git-config(1), "Values": false, no, off, 0); a key without a value is true, as in git.
 */
export function createMode(config: ReadonlyMap<string, string>): CreateMode {
  const value = config.get('artifacts.createonpush')?.trim().toLowerCase();
  return value !== undefined && gitFalse.has(value) ? 'no-create' : 'create';
}

const gitFalse = new Set(['false', 'no', 'off', '0', '']);
