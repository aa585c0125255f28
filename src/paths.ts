// Per-user directories, by platform convention. Tokens live in the runtime directory where
// there is one (tmpfs on Linux, gone at logout), else the state/cache directory.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentialTool } from './names.js';

export const appName = credentialTool;

export function tokenCacheDir(env: NodeJS.ProcessEnv, platform = process.platform, exists: (p: string) => boolean = existsSync): string {
  if (env.ARTIFACTS_CACHE_DIR) return path.resolve(env.ARTIFACTS_CACHE_DIR);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32') {
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), appName, 'tokens');
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', appName, 'tokens');
  // XDG Base Directory spec: $XDG_RUNTIME_DIR must be absolute; ignore it otherwise, and when
  // it does not exist (a stale value inherited over su/sudo/ssh), rather than fail every get.
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime) && exists(runtime)) return path.join(runtime, appName);
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, appName, 'tokens');
}

export function configDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, appName);
}
