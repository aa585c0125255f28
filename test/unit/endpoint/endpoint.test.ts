import { describe, expect, it } from 'vitest';
import { customEndpoint, endpointFromFlags, isLoopbackHost, parseApiUrl, type EndpointFlags } from '../../../src/endpoint/endpoint.js';
import { isArtifactsError } from '../../../src/errors.js';
import { parseRepoPath } from '../../../src/endpoint/repo-path.js';

describe('custom endpoints', () => {
  it.each([
    ['http://127.0.0.1:8787', true],
    ['http://localhost:1', true],
    ['http://[::1]:9', true],
    ['https://git.example.com', true],
    ['http://git.example.com', false],
    ['http://10.0.0.1:80', false],
    ['http://127.0.0.1:8787/prefix', false],
    ['http://u:p@127.0.0.1:8787', false],
    ['not a url', false],
  ])('git url %s accepted: %s', (url, ok) => {
    const make = () => customEndpoint(url, 'http://127.0.0.1:8787/client/v4', 'acct');
    if (ok) expect(make()).toMatchObject({ kind: 'custom' });
    else expect(make).toThrow();
  });

  it('needs an account for an account-scoped API', () => expect(() => customEndpoint('http://127.0.0.1:1', 'http://127.0.0.1:1/client/v4', undefined)).toThrow(/--account/));
  it('takes none for a namespace-scoped API, and refuses one given', () => {
    expect(customEndpoint('http://127.0.0.1:1', 'http://127.0.0.1:1/v1/api', undefined)).toEqual({ kind: 'custom', shape: 'namespace', apiUrl: 'http://127.0.0.1:1/v1/api', protocol: 'http', host: '127.0.0.1:1' });
    expect(() => customEndpoint('http://127.0.0.1:1', 'http://127.0.0.1:1/v1/api', 'acct')).toThrow(/no account/);
  });
  it('normalises the API URL', () => expect(parseApiUrl('http://127.0.0.1:1/client/v4/')).toBe('http://127.0.0.1:1/client/v4'));
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]'])('%s is loopback', (h) => expect(isLoopbackHost(h)).toBe(true));
  it.each(['127.0.0.1.evil.test', 'localhost.evil.test', '128.0.0.1', '::2'])('%s is not loopback', (h) => expect(isLoopbackHost(h)).toBe(false));
});

describe('parseRepoPath', () => {
  it.each([
    ['git/default/repo.git', { namespace: 'default', repo: 'repo' }],
    ['git/default/repo', { namespace: 'default', repo: 'repo' }],
    ['git/default/repo.git/', { namespace: 'default', repo: 'repo' }],
    ['git/my-ns/a.b_c', { namespace: 'my-ns', repo: 'a.b_c' }],
    ['git/d/repo.git', undefined], // namespace of one character
    ['default/repo.git', undefined],
    ['git/default/', undefined],
    ['git/default/.git', undefined],
    ['git/default/-repo', undefined],
    ['git/../repo', undefined],
    ['git/default/..', undefined],
    ['git/default/a..b', undefined],
    ['git/de fault/repo', undefined],
    ['git/default/repo%2Fx', undefined],
  ])('%s', (path, expected) => expect(parseRepoPath(path, 'account')).toEqual(expected));

  it.each([
    ['default/repo.git', { namespace: 'default', repo: 'repo' }],
    ['default/repo', { namespace: 'default', repo: 'repo' }],
    ['default/repo.git/', { namespace: 'default', repo: 'repo' }],
    ['my-ns/a.b_c', { namespace: 'my-ns', repo: 'a.b_c' }],
    ['git/default/repo.git', undefined], // the account-scoped form
    ['d/repo.git', undefined],
    ['default/', undefined],
    ['default/.git', undefined],
    ['default/-repo', undefined],
    ['../repo', undefined],
    ['default/..', undefined],
    ['default/a..b', undefined],
    ['de fault/repo', undefined],
    ['default/repo%2Fx', undefined],
    ['/default/repo', undefined],
    ['repo.git', undefined],
  ])('namespace-scoped %s', (path, expected) => expect(parseRepoPath(path, 'namespace')).toEqual(expected));
});

describe('endpointFromFlags (configure and the helper alike)', () => {
  const cf = 'https://api.cloudflare.com/client/v4';
  const acct = '0123456789abcdef0123456789abcdef';
  it.each<[string, EndpointFlags, object | string]>([
    ['nothing: Cloudflare', {}, { endpoint: { kind: 'cloudflare', shape: 'account', apiUrl: cf }, account: undefined }],
    ['Cloudflare with an account for push routing', { account: acct }, { endpoint: { kind: 'cloudflare', shape: 'account', apiUrl: cf }, account: acct }],
    ['Cloudflare through another account-scoped API', { apiUrl: 'https://proxy.example.com/client/v4' }, { endpoint: { kind: 'cloudflare', shape: 'account', apiUrl: 'https://proxy.example.com/client/v4' }, account: undefined }],
    ["Cloudflare's wildcard as --git-url", { gitUrl: 'https://*.artifacts.cloudflare.net', apiUrl: cf, account: acct }, { endpoint: { kind: 'cloudflare', shape: 'account' }, account: acct }],
    ['a custom account-scoped endpoint', { gitUrl: 'http://127.0.0.1:8787', apiUrl: 'http://127.0.0.1:8787/client/v4', account: 'local' }, { endpoint: { kind: 'custom', shape: 'account', host: '127.0.0.1:8787', account: 'local' }, account: 'local' }],
    ['a custom namespace-scoped endpoint', { gitUrl: 'http://127.0.0.1:8787', apiUrl: 'http://127.0.0.1:8787/v1/api' }, { endpoint: { kind: 'custom', shape: 'namespace', host: '127.0.0.1:8787', apiUrl: 'http://127.0.0.1:8787/v1/api' }, account: undefined }],
    ['/edge/v1/api', { gitUrl: 'https://artifacts.cloudflare.net', apiUrl: 'https://artifacts.cloudflare.net/edge/v1/api' }, { endpoint: { kind: 'custom', shape: 'namespace', protocol: 'https', host: 'artifacts.cloudflare.net' }, account: undefined }],
    ['a git host elsewhere than the API', { gitUrl: 'https://git.example.com', apiUrl: 'https://api.example.com/v1/api' }, { endpoint: { kind: 'custom', shape: 'namespace', host: 'git.example.com', apiUrl: 'https://api.example.com/v1/api' } }],
    ['a namespace-scoped --api-url alone: git on its origin', { apiUrl: 'https://artifacts.cloudflare.net/v1/api' }, { endpoint: { kind: 'custom', shape: 'namespace', protocol: 'https', host: 'artifacts.cloudflare.net' }, account: undefined }],
    ['--git-url without --api-url', { gitUrl: 'http://127.0.0.1:1' }, 'usage'],
    ['an account-scoped custom endpoint without --account', { gitUrl: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1/client/v4' }, 'config.invalid'],
    ['a namespace-scoped endpoint with --account', { gitUrl: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1/v1/api', account: 'a' }, 'config.invalid'],
    ["Cloudflare's account hosts with a namespace-scoped API", { gitUrl: 'https://*.artifacts.cloudflare.net', apiUrl: 'https://artifacts.cloudflare.net/v1/api' }, 'config.invalid'],
    ['a namespace-scoped http API off loopback', { apiUrl: 'http://gw.example.com/v1/api' }, 'config.invalid'],
  ])('%s', (_name, flags, want) => {
    if (typeof want !== 'string') return expect(endpointFromFlags(flags)).toMatchObject(want);
    try {
      endpointFromFlags(flags);
      expect.unreachable();
    } catch (e) {
      expect(isArtifactsError(e) && e.code).toBe(want);
    }
  });
});
