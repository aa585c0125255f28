// The remote helper's settings: the account and API URL for artifacts:// URLs and for the
// helper we inject, and whether `configure` already put our helper on a host. One `git config`
// call reads them all (not the credential hot path, but one process is cheaper than two).
// Env wins over config.
import { execFile } from 'node:child_process';
import { cloudflareApiUrl } from '../endpoint/endpoint.js';

export interface RemoteSettings {
  account: { value: string; source: string } | undefined;
  apiUrl: { value: string; source: string };
}

/** Parses `git config -z --get-regexp` output: `key\nvalue\0` records; the last value wins. */
export function parseConfigZ(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const record of text.split('\0')) {
    if (record === '') continue;
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

/** Reads artifacts.* and credential.<url>.helper, in the repo git started us in (GIT_DIR). */
export function readArtifactsConfig(env: NodeJS.ProcessEnv, cwd: string): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    execFile('git', ['config', '-z', '--get-regexp', '^artifacts\\.|^credential\\..*\\.helper$'], { env, cwd, encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      // Exit 1 means no such keys; any other failure leaves the defaults in place too.
      resolve(error && !stdout ? new Map() : parseConfigZ(stdout));
    });
  });
}
