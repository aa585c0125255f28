// Which credential helper git-remote-artifacts injects for a remote (child-env.ts): the same
// command configure writes (helperCommand + endpointArgs), run from the sibling bundle.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { apiShape } from '../endpoint/api-shape.js';
import { cloudflareApiUrl, cloudflareCredentialUrl, cloudflareEndpoint, cloudflareGitAccount, type Endpoint } from '../endpoint/endpoint.js';
import { ArtifactsError } from '../errors.js';
import { helperCommand } from '../gitconfig/helper-command.js';
import { endpointArgs } from '../gitconfig/plan.js';
import { isSingleExecutable } from '../self.js';
import type { RemoteSettings } from './git-config.js';
import { helperMarker } from '../names.js';


/**
 * How to start git-credential-artifacts from here: this Node with the bundle beside ours
 * (dist/git-credential-artifacts.cjs); in the single executable, the binary itself under its
 * own name (execPath is the real file even when we were started through a sibling symlink,
 * and the binary picks its tool by that name: cmd/sea.ts). undefined when there is none.
 */
export function credentialHelperSelf(argv1: string | undefined = process.argv[1], execPath = process.execPath): string[] | undefined {
  if (isSingleExecutable(argv1)) {
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

/**
 * What git-remote-artifacts may do for a git origin, decided before any HTTP request:
 * - 'configured': `configure` put our helper in charge of exactly this origin (global or
 *   system config), so git's transport already asks it, and it knows its endpoint;
 * - 'inject': a Cloudflare Artifacts host (https://<32 hex>.artifacts.cloudflare.net, no
 *   port) that no configure covers: we hand our helper to the child for it;
 * - 'refused': anything else. A remote URL can come from a hostile repository (.gitmodules,
 *   a URL in a README, `git push <url>`), and our helper must never be handed to an origin
 *   the user did not register (docs/credential-flow.md, "Origin policy").
 */
export type OriginPolicy = { kind: 'configured'; helper: string } | { kind: 'inject'; endpoint: Endpoint } | { kind: 'refused'; error: ArtifactsError };

export function originPolicy(origin: string, settings: RemoteSettings, config: ReadonlyMap<string, string>): OriginPolicy {
  const helper = configuredHelper(origin, config);
  if (helper !== undefined) return { kind: 'configured', helper };
  const url = new URL(origin);
  if (url.protocol === 'https:' && cloudflareGitAccount(url.host)) {
    // Cloudflare's account hosts go with the account-scoped API: a namespace-scoped
    // artifacts.apiUrl (from configuring such an endpoint) is not theirs.
    const api = apiShape(settings.apiUrl.value) === 'account' ? settings.apiUrl.value : cloudflareApiUrl;
    return { kind: 'inject', endpoint: cloudflareEndpoint(api) };
  }
  return { kind: 'refused', error: unregistered(origin, settings) };
}

function unregistered(origin: string, settings: RemoteSettings): ArtifactsError {
  const api = settings.apiUrl.source === 'default' ? `${origin}/client/v4` : settings.apiUrl.value;
  const account = apiShape(api) === 'account' ? ' --account <ACCOUNT_ID>' : '';
  const why = `refusing to send Artifacts credentials to ${origin}: it is not a Cloudflare Artifacts host nor an endpoint you registered`;
  return new ArtifactsError('remote.unregistered', why, {
    hint: `if you trust ${origin}, register it: git-credential-artifacts configure --git-url ${origin} --api-url ${api}${account}`,
  });
}

/**
 * Whether `configure` already made our helper the last one for origin (its block for that
 * exact origin, or for https://*.artifacts.cloudflare.net). config: trusted scopes only.
 */
export function configuredFor(origin: string, config: ReadonlyMap<string, string>): boolean {
  return configuredHelper(origin, config) !== undefined;
}

/** The helper command configure wrote for origin (exact block first, then the Cloudflare wildcard). */
export function configuredHelper(origin: string, config: ReadonlyMap<string, string>): string | undefined {
  const keys = [`credential.${origin.toLowerCase()}.helper`];
  if (origin.startsWith('https://') && cloudflareGitAccount(new URL(origin).host)) {
    keys.push(`credential.${cloudflareCredentialUrl}.helper`);
  }
  return keys.map((k) => config.get(k)).find((v) => v?.includes(helperMarker));
}

/** The credential.helper value for endpoint, e.g. `!f() { case "$1" in get|erase) exec … "$@" ;; esac; }; f`. */
export function injectedHelper(self: readonly string[], endpoint: Endpoint): string {
  return helperCommand(injectedArgv(self, endpoint), []);
}

/** The argv of that helper: self and the endpoint's flags. */
export function injectedArgv(self: readonly string[], endpoint: Endpoint): string[] {
  return [...self, ...endpointArgs(endpoint)];
}
