import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childArgs, transportCommand } from '../../../src/remote/child.js';
import { noSymlinks, symlinksWork } from '../../support/symlinks.js';
import { configuredFor, credentialHelperSelf, injectedHelper, originPolicy } from '../../../src/remote/credential-helper.js';
import type { RemoteSettings } from '../../../src/remote/git-config.js';

const acct = '0123456789abcdef0123456789abcdef';
const settings = (account?: string, apiUrl = 'https://api.cloudflare.com/client/v4'): RemoteSettings => ({
  account: account === undefined ? undefined : { value: account, source: 'test' },
  apiUrl: { value: apiUrl, source: 'test' },
});

describe('originPolicy + injectedHelper: who gets our helper, with the command configure writes', () => {
  const self = ['/usr/bin/node', '/opt/x/git-credential-artifacts.cjs'];
  const ours = `!f() { case "$1" in get|erase) exec /usr/bin/node /x/git-credential-artifacts.cjs "$@" ;; esac; }; f`;
  const helperFor = (origin: string, s: RemoteSettings): string | undefined => {
    const p = originPolicy(origin, s, new Map());
    return p.kind === 'inject' ? injectedHelper(self, p.endpoint) : undefined;
  };
  it('Cloudflare host with the default API: injected, no endpoint flags', () => {
    expect(helperFor(`https://${acct}.artifacts.cloudflare.net`, settings())).toBe(
      `!f() { case "$1" in get|erase) exec /usr/bin/node /opt/x/git-credential-artifacts.cjs "$@" ;; esac; }; f`,
    );
  });
  it('Cloudflare host with another API URL: --api-url', () => {
    expect(helperFor(`https://${acct}.artifacts.cloudflare.net`, settings(undefined, 'https://api.staging.example/client/v4'))).toContain(
      '--api-url https://api.staging.example/client/v4 "$@"',
    );
  });
  it('Cloudflare host while artifacts.apiUrl is namespace-scoped: the default account-scoped API, never the gateway', () => {
    const p = originPolicy(`https://${acct}.artifacts.cloudflare.net`, settings(undefined, 'https://artifacts.cloudflare.net/v1/api'), new Map());
    expect(p).toMatchObject({ kind: 'inject', endpoint: { kind: 'cloudflare', shape: 'account', apiUrl: 'https://api.cloudflare.com/client/v4' } });
    expect(helperFor(`https://${acct}.artifacts.cloudflare.net`, settings(undefined, 'https://artifacts.cloudflare.net/v1/api'))).not.toContain('--api-url');
  });
  it('an unregistered origin while artifacts.apiUrl is namespace-scoped: the hint registers it without --account', () => {
    const p = originPolicy('https://artifacts.example.com', settings(undefined, 'https://artifacts.example.com/v1/api'), new Map());
    expect(p.kind === 'refused' && p.error.hint).toBe('if you trust https://artifacts.example.com, register it: git-credential-artifacts configure --git-url https://artifacts.example.com --api-url https://artifacts.example.com/v1/api');
  });
  it.each([
    ['an unregistered loopback origin, even with account and API set', 'http://127.0.0.1:8787', settings('local', 'http://127.0.0.1:8787/client/v4')],
    ['an attacker https host', 'https://evil.example', settings('local')],
    ['a Cloudflare-looking suffix', `https://${acct}.artifacts.cloudflare.net.evil.test`, settings()],
    ['a Cloudflare host over http', `http://${acct}.artifacts.cloudflare.net`, settings()],
    ['a Cloudflare host on another port', `https://${acct}.artifacts.cloudflare.net:8443`, settings()],
    ['a short account label', 'https://0123.artifacts.cloudflare.net', settings()],
  ])('refused: %s', (_name, origin, s) => {
    const p = originPolicy(origin, s, new Map());
    expect(p.kind).toBe('refused');
    if (p.kind === 'refused') {
      expect(p.error.message).toContain(`refusing to send Artifacts credentials to ${origin}`);
      expect(p.error.hint).toContain(`configure --git-url ${origin}`);
    }
  });
  it('a registered origin (configure wrote our helper for it) is served by that helper, nothing injected', () => {
    const config = new Map([['credential.http://127.0.0.1:8787.helper', ours]]);
    expect(originPolicy('http://127.0.0.1:8787', settings(), config)).toEqual({ kind: 'configured', helper: ours });
    expect(originPolicy('http://127.0.0.1:8788', settings(), config).kind).toBe('refused');
  });
});

describe('credentialHelperSelf', () => {
  it.skipIf(!symlinksWork)('points at git-credential-artifacts.cjs beside the real path of this bundle (skipped where: ' + noSymlinks + ')', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'self-'));
    try {
      writeFileSync(path.join(dir, 'git-remote-artifacts.cjs'), '');
      writeFileSync(path.join(dir, 'git-credential-artifacts.cjs'), '');
      const bin = path.join(dir, 'bin');
      symlinkSync(dir, bin);
      expect(credentialHelperSelf(path.join(bin, 'git-remote-artifacts.cjs'), '/node')).toEqual(['/node', path.join(dir, 'git-credential-artifacts.cjs')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('is undefined when there is no sibling helper', () => {
    expect(credentialHelperSelf('/nonexistent/git-remote-artifacts.cjs', '/node')).toBeUndefined();
  });
});

describe('childArgs', () => {
  it.each([
    ['origin', 'https://h/git/d/r.git', ['remote-https', 'origin', 'https://h/git/d/r.git']],
    ['artifacts://d/r', 'https://h/git/d/r.git', ['remote-https', 'https://h/git/d/r.git', 'https://h/git/d/r.git']],
    ['artifacts::https://h/git/d/r.git', 'https://h/git/d/r.git', ['remote-https', 'https://h/git/d/r.git', 'https://h/git/d/r.git']],
  ])('name %s', (name, url, expected) => {
    expect(childArgs('https', name, url)).toEqual(expected);
  });
});

describe('transportCommand: git-remote-https from GIT_EXEC_PATH, one git process less', () => {
  const has = (...files: string[]) => (f: string) => files.includes(f);
  it.each([
    [{ GIT_EXEC_PATH: '/usr/lib/git-core' }, has('/usr/lib/git-core/git-remote-https'), ['/usr/lib/git-core/git-remote-https']],
    // Not there (an odd install): let git find it.
    [{ GIT_EXEC_PATH: '/usr/lib/git-core' }, has(), ['git']],
    // Started by hand, or a relative path: git finds it.
    [{}, has('/usr/lib/git-core/git-remote-https'), ['git']],
    [{ GIT_EXEC_PATH: 'lib/git-core' }, has('lib/git-core/git-remote-https'), ['git']],
    [{ GIT_EXEC_PATH: '' }, has('/git-remote-https'), ['git']],
  ])('%o', (env, exists, want) => {
    expect(transportCommand('https', env, exists, 'linux')).toEqual(want);
  });
  // Git for Windows: GIT_EXEC_PATH is a Windows path, the transport an .exe. Runs on every OS.
  it.each([
    [{ GIT_EXEC_PATH: 'C:\\Program Files\\Git\\mingw64\\libexec\\git-core' }, has('C:\\Program Files\\Git\\mingw64\\libexec\\git-core\\git-remote-https.exe'),
      ['C:\\Program Files\\Git\\mingw64\\libexec\\git-core\\git-remote-https.exe']],
    [{ GIT_EXEC_PATH: 'C:\\Git\\libexec' }, has('C:\\Git\\libexec\\git-remote-https'), ['git']],
    [{ GIT_EXEC_PATH: 'libexec\\git-core' }, has('libexec\\git-core\\git-remote-https.exe'), ['git']],
  ])('win32 %o', (env, exists, want) => {
    expect(transportCommand('https', env, exists, 'win32')).toEqual(want);
  });
});

describe('configuredFor: is configure\'s helper already in charge of the origin?', () => {
  const ours = `!f() { case "$1" in get|erase) exec /usr/bin/node /x/git-credential-artifacts.cjs "$@" ;; esac; }; f`;
  const cfOrigin = `https://${acct}.artifacts.cloudflare.net`;
  it.each([
    ['custom origin, exact block', 'http://127.0.0.1:8787', [['credential.http://127.0.0.1:8787.helper', ours]], true],
    ['Cloudflare host, wildcard block', cfOrigin, [['credential.https://*.artifacts.cloudflare.net.helper', ours]], true],
    ['Cloudflare host, exact block', cfOrigin, [[`credential.${cfOrigin}.helper`, ours]], true],
    ['another port', 'http://127.0.0.1:8788', [['credential.http://127.0.0.1:8787.helper', ours]], false],
    ['wildcard does not cover a custom https host', 'https://git.example.com', [['credential.https://*.artifacts.cloudflare.net.helper', ours]], false],
    ['someone else\'s helper last', cfOrigin, [['credential.https://*.artifacts.cloudflare.net.helper', 'foo']], false],
    ['only a reset', 'http://127.0.0.1:8787', [['credential.http://127.0.0.1:8787.helper', '']], false],
    ['nothing', cfOrigin, [], false],
  ] as const)('%s', (_name, origin, entries, expected) => {
    expect(configuredFor(origin, new Map(entries.map(([k, v]) => [k, v])))).toBe(expected);
  });
});
