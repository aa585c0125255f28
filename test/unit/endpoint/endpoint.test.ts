import { describe, expect, it } from 'vitest';
import { customEndpoint, isLoopbackHost, parseApiUrl } from '../../../src/endpoint/endpoint.js';
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

  it('needs an account', () => expect(() => customEndpoint('http://127.0.0.1:1', 'http://127.0.0.1:1/client/v4', undefined)).toThrow(/--account/));
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
  ])('%s', (path, expected) => expect(parseRepoPath(path)).toEqual(expected));
});
