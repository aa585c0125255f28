// Which credential helper git-remote-artifacts injects for a remote (child-env.ts): the same
// command configure writes (helperCommand + endpointArgs), run from the sibling bundle.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { cloudflareCredentialUrl, cloudflareEndpoint, customEndpoint, type Endpoint } from '../endpoint/endpoint.js';
import { helperCommand } from '../gitconfig/helper-command.js';
import { endpointArgs } from '../gitconfig/plan.js';
import { isSingleExecutable } from '../gitconfig/self.js';
import type { RemoteSettings } from './git-config.js';

const cloudflareGitHost = /^([0-9a-f]{32})\.artifacts\.cloudflare\.net$/;
/** Part of every helper command configure writes (helper-command.ts; plan.ts isOurLine). */
const configuredMarker = 'in get|erase) exec ';

/**
 * How to start git-credential-artifacts from here: this Node with the bundle beside ours
 * (dist/git-credential-artifacts.cjs); in the single executable, the binary itself under its
 * own name (execPath is the real file even when we were started through a sibling symlink,
 * and the binary picks its tool by that name: cmd/sea.ts). undefined when there is none.
 */
export function credentialHelperSelf(argv1: string | undefined = process.argv[1], execPath = process.execPath): string[] | undefined {
  if (isSingleExecutable()) {
    const exe = path.join(path.dirname(execPath), `git-credential-artifacts${process.platform === 'win32' ? '.exe' : ''}`);
    return existsSync(exe) ? [exe] : undefined;
  }
  if (!argv1) return undefined;
  let script: string;
  try {
    script = path.join(path.dirname(realpathSync(argv1)), 'git-credential-artifacts.cjs');
  } catch {
    return undefined;
  }
  return existsSync(script) ? [execPath, script] : undefined;
}

/** The endpoint the credential helper must serve for a git origin, or why there is none. */
export function endpointForOrigin(origin: string, settings: RemoteSettings): Endpoint | string {
  const url = new URL(origin);
  if (url.protocol === 'https:' && cloudflareGitHost.test(url.hostname)) return cloudflareEndpoint(settings.apiUrl.value);
  if (!settings.account) return `no account for ${origin} (set git config artifacts.account or CLOUDFLARE_ACCOUNT_ID)`;
  return customEndpoint(origin, settings.apiUrl.value, settings.account.value);
}

/**
 * Whether `configure` already made our helper the last one for origin (its block for that
 * exact origin, or for https://*.artifacts.cloudflare.net). Then we inject nothing: that
 * helper knows its endpoint and the user's TTL flags, while the global artifacts.account and
 * artifacts.apiUrl belong to whichever endpoint was configured last.
 */
export function configuredFor(origin: string, config: ReadonlyMap<string, string>): boolean {
  const keys = [`credential.${origin.toLowerCase()}.helper`];
  if (origin.startsWith('https://') && cloudflareGitHost.test(new URL(origin).hostname)) {
    keys.push(`credential.${cloudflareCredentialUrl}.helper`);
  }
  return keys.some((k) => config.get(k)?.includes(configuredMarker) ?? false);
}

/** The credential.helper value for endpoint, e.g. `!f() { case "$1" in get|erase) exec … "$@" ;; esac; }; f`. */
export function injectedHelper(self: readonly string[], endpoint: Endpoint): string {
  return helperCommand(self, endpointArgs(endpoint));
}
