import { describe, expect, it } from 'vitest';
import { configDir, tokenCacheDir } from '../../../src/paths.js';

const exists = (p: string) => p === '/run/user/1000';

// The platform is a parameter: every row runs on every OS, with that OS's path flavour.
describe('tokenCacheDir', () => {
  it.each([
    ['explicit override', { ARTIFACTS_CACHE_DIR: '/x/cache', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux', '/x/cache'],
    ['runtime dir', { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux', '/run/user/1000/git-credential-artifacts'],
    ['runtime dir missing: state dir', { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/0' }, 'linux', '/home/u/.local/state/git-credential-artifacts/tokens'],
    ['relative runtime dir ignored', { HOME: '/home/u', XDG_RUNTIME_DIR: 'run' }, 'linux', '/home/u/.local/state/git-credential-artifacts/tokens'],
    ['XDG_STATE_HOME', { HOME: '/home/u', XDG_STATE_HOME: '/s' }, 'linux', '/s/git-credential-artifacts/tokens'],
    ['macOS', { HOME: '/Users/u' }, 'darwin', '/Users/u/Library/Caches/git-credential-artifacts/tokens'],
    ['Windows: LOCALAPPDATA', { USERPROFILE: 'C:\\Users\\u', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      'win32', 'C:\\Users\\u\\AppData\\Local\\git-credential-artifacts\\tokens'],
    ['Windows: no LOCALAPPDATA, the profile’s Local, never HOME', { USERPROFILE: 'D:\\Profiles\\u', HOME: '/c/Users/u' },
      'win32', 'D:\\Profiles\\u\\AppData\\Local\\git-credential-artifacts\\tokens'],
    ['Windows: a relative LOCALAPPDATA is ignored', { USERPROFILE: 'C:\\Users\\u', LOCALAPPDATA: 'Local' },
      'win32', 'C:\\Users\\u\\AppData\\Local\\git-credential-artifacts\\tokens'],
    ['Windows: explicit override', { ARTIFACTS_CACHE_DIR: 'E:\\cache', LOCALAPPDATA: 'C:\\L' }, 'win32', 'E:\\cache'],
  ] as const)('%s', (_name, env, platform, expected) => {
    expect(tokenCacheDir(env, platform, exists)).toBe(expected);
  });
});

describe('configDir', () => {
  it.each([
    ['XDG default', { HOME: '/home/u' }, 'linux', '/home/u/.config/git-credential-artifacts'],
    ['XDG_CONFIG_HOME', { HOME: '/home/u', XDG_CONFIG_HOME: '/x' }, 'linux', '/x/git-credential-artifacts'],
    ['relative XDG_CONFIG_HOME ignored', { HOME: '/home/u', XDG_CONFIG_HOME: 'x' }, 'linux', '/home/u/.config/git-credential-artifacts'],
    ['macOS', { HOME: '/Users/u' }, 'darwin', '/Users/u/Library/Application Support/git-credential-artifacts'],
    ['Windows: Local, never Roaming (it holds API tokens)', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      'win32', 'C:\\Users\\u\\AppData\\Local\\git-credential-artifacts'],
  ] as const)('%s', (_name, env, platform, expected) => {
    expect(configDir(env, platform)).toBe(expected);
  });
});
