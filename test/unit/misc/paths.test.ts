import { describe, expect, it } from 'vitest';
import { tokenCacheDir } from '../../../src/paths.js';

const exists = (p: string) => p === '/run/user/1000';

describe('tokenCacheDir', () => {
  it.each([
    ['explicit override', { ARTIFACTS_CACHE_DIR: '/x/cache', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux', '/x/cache'],
    ['runtime dir', { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux', '/run/user/1000/git-credential-artifacts'],
    ['runtime dir missing: state dir', { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/0' }, 'linux', '/home/u/.local/state/git-credential-artifacts/tokens'],
    ['relative runtime dir ignored', { HOME: '/home/u', XDG_RUNTIME_DIR: 'run' }, 'linux', '/home/u/.local/state/git-credential-artifacts/tokens'],
    ['XDG_STATE_HOME', { HOME: '/home/u', XDG_STATE_HOME: '/s' }, 'linux', '/s/git-credential-artifacts/tokens'],
    ['macOS', { HOME: '/Users/u' }, 'darwin', '/Users/u/Library/Caches/git-credential-artifacts/tokens'],
  ] as const)('%s', (_name, env, platform, expected) => {
    expect(tokenCacheDir(env, platform, exists)).toBe(expected);
  });
});
