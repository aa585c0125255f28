// Per-user directories, by platform convention. Tokens live in the runtime directory where
// there is one (tmpfs on Linux, gone at logout), else the state/cache directory.
// Pure in (env, platform): the path flavour follows the platform asked about, not the host,
// so the tables in test/unit/shared-modules/paths.test.ts run on every OS.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentialTool } from './names.js';

export const appName = credentialTool;

/** path.win32 for Windows, path.posix for the rest: joins and absolute checks as that OS does them. */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function homeOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  // Windows: USERPROFILE is the profile; HOME, when set at all, is often an MSYS-style path.
  if (platform === 'win32') return env.USERPROFILE || env.HOME || os.homedir();
  return env.HOME || env.USERPROFILE || os.homedir();
}

/** %LOCALAPPDATA%: per machine. Roaming %APPDATA% is copied to servers in domain setups, so no secret goes there
 * (https://learn.microsoft.com/windows/win32/shell/knownfolderid FOLDERID_LocalAppData). */
function localAppData(env: NodeJS.ProcessEnv): string {
  const p = path.win32;
  const local = env.LOCALAPPDATA;
  return local && p.isAbsolute(local) ? local : p.join(homeOf(env, 'win32'), 'AppData', 'Local');
}

export function tokenCacheDir(env: NodeJS.ProcessEnv, platform = process.platform, exists: (p: string) => boolean = existsSync): string {
  const p = pathFor(platform);
  if (env.ARTIFACTS_CACHE_DIR) return p.resolve(env.ARTIFACTS_CACHE_DIR);
  const home = homeOf(env, platform);
  if (platform === 'win32') return p.join(localAppData(env), appName, 'tokens');
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', appName, 'tokens');
  // XDG Base Directory spec: $XDG_RUNTIME_DIR must be absolute; ignore it otherwise, and when
  // it does not exist (a stale value inherited over su/sudo/ssh), rather than fail every get.
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && p.isAbsolute(runtime) && exists(runtime)) return p.join(runtime, appName);
  const state = env.XDG_STATE_HOME && p.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : p.join(home, '.local', 'state');
  return p.join(state, appName, 'tokens');
}

/** Where logins and the file store live. Windows: Local app data too, as both hold API tokens. */
export function configDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  const p = pathFor(platform);
  const home = homeOf(env, platform);
  if (platform === 'win32') return p.join(localAppData(env), appName);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', appName);
  const base = env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  return p.join(base, appName);
}
