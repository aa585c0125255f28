import { describe, expect, it } from 'vitest';
import { checkCacheDir, checkClockSkew, checkGitVersion, checkHelperCurrent, checkHelperPaths, checkTokenSource, helperPaths, parseGitVersion } from '../../../src/doctor/facts.js';

describe('git version', () => {
  it.each([
    ['git version 2.39.5\n', [2, 39, 5], 'warn'],
    ['git version 2.46.0', [2, 46, 0], 'ok'],
    ['git version 2.55.0.windows.1', [2, 55, 0], 'ok'],
    ['git version 2.25.1', [2, 25, 1], 'fail'],
    ['git version 3.0', [3, 0, 0], 'ok'],
    ['not git', undefined, 'fail'],
  ])('%j', (text, version, status) => {
    expect(parseGitVersion(text)).toEqual(version);
    expect(checkGitVersion(text).status).toBe(status);
  });
  it('no git at all fails', () => expect(checkGitVersion(undefined).status).toBe('fail'));
});

describe('helper paths', () => {
  it.each([
    ['!f() { case "$1" in get|erase) exec /usr/bin/node /opt/x/git-credential-artifacts.cjs --git-url http://127.0.0.1:1 "$@" ;; esac; }; f', ['/usr/bin/node', '/opt/x/git-credential-artifacts.cjs']],
    ["!f() { case \"$1\" in get|erase) exec '/opt/my dir/it'\\''s/git-credential-artifacts' \"$@\" ;; esac; }; f", ["/opt/my dir/it's/git-credential-artifacts"]],
    ['store', []],
  ])('%s', (value, want) => {
    expect(helperPaths(value)).toEqual(want);
  });
  it('a path that is gone fails with configure as the fix', () => {
    const value = '!f() { case "$1" in get|erase) exec /usr/bin/node /gone/x.cjs "$@" ;; esac; }; f';
    expect(checkHelperPaths(value, (p) => p === '/usr/bin/node', 'git-credential-artifacts configure')).toMatchObject({ status: 'fail', found: expect.stringContaining('/gone/x.cjs'), fix: 'git-credential-artifacts configure' });
  });
});

describe('cache dir, token source, clock', () => {
  const dir = { isSymbolicLink: false, isDirectory: true, uid: 1000, mode: 0o40700 };
  it.each([
    [undefined, 'ok'],
    [dir, 'ok'],
    [{ ...dir, mode: 0o40755 }, 'fail'],
    [{ ...dir, uid: 0 }, 'fail'],
    [{ ...dir, isSymbolicLink: true }, 'fail'],
    [{ ...dir, isDirectory: false }, 'fail'],
  ])('cache dir %j -> %s', (stat, want) => {
    expect(checkCacheDir({ path: '/c', uid: 1000, stat }).status).toBe(want);
  });
  it.each([
    ['none', 'fail'],
    ['wrangler (installed, not logged in)', 'fail'],
    ['CLOUDFLARE_API_TOKEN', 'ok'],
    ['keychain', 'ok'],
  ])('token source %s -> %s', (source, want) => {
    expect(checkTokenSource({ source, rule: 'cloudflare', because: 'why' }, 'https://api.cloudflare.com/client/v4').status).toBe(want);
  });
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['Thu, 01 Jan 2026 00:00:00 GMT', 'ok'],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 'ok'],
    ['Thu, 01 Jan 2026 00:05:00 GMT', 'fail'],
    ['Wed, 31 Dec 2025 23:50:00 GMT', 'fail'],
    [undefined, 'warn'],
    ['garbage', 'warn'],
  ])('Date %j -> %s', (date, want) => {
    expect(checkClockSkew(date, now, now).status).toBe(want);
  });
});

describe('helper current', () => {
  it.each([
    [['/usr/bin/node', '/a/x.cjs'], ['/usr/bin/node', '/a/x.cjs'], 'ok'],
    [['/usr/bin/node', '/old/x.cjs'], ['/usr/bin/node', '/a/x.cjs'], 'warn'],
    [['/opt/sea/git-credential-artifacts'], ['/usr/bin/node', '/a/x.cjs'], 'warn'],
  ])('%j run, doctor is %j -> %s', (paths, self, want) => {
    expect(checkHelperCurrent(paths, self, 'configure').status).toBe(want);
  });
});
