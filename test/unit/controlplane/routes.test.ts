import { describe, expect, it } from 'vitest';
import { controlPlane, namespacePath, repoPath, tokenPath, tokensPath, whereText, type ControlPlane } from '../../../src/controlplane/routes.js';
import { apiShape, type ApiShape } from '../../../src/endpoint/api-shape.js';
import { isArtifactsError } from '../../../src/errors.js';

describe('apiShape', () => {
  it.each<[string, ApiShape]>([
    ['https://api.cloudflare.com/client/v4', 'account'],
    ['http://127.0.0.1:8787/client/v4', 'account'],
    ['https://proxy.example.com/cf', 'account'],
    ['https://proxy.example.com', 'account'],
    ['https://artifacts.cloudflare.net/v1/api', 'namespace'],
    ['https://artifacts.cloudflare.dev/v1/api', 'namespace'],
    ['https://artifacts.cloudflare.net/edge/v1/api', 'namespace'],
    ['http://127.0.0.1:8787/v1/api', 'namespace'],
    ['http://127.0.0.1:8787/edge/v1/api', 'namespace'],
    ['https://gw.example.com/artifacts/v1/api', 'namespace'],
    ['https://gw.example.com/v1/api/', 'namespace'],
    // Exact segments only.
    ['https://gw.example.com/v1/apix', 'account'],
    ['https://gw.example.com/xv1/api', 'account'],
    ['https://gw.example.com/V1/API', 'account'],
    ['https://gw.example.com/v1/api/namespaces', 'account'],
    ['https://gw.example.com/client/v4/v1', 'account'],
    ['not a url', 'account'],
  ])('%s is %s-scoped', (url, shape) => expect(apiShape(url)).toBe(shape));
});

const account: ControlPlane = { shape: 'account', apiUrl: 'https://api.cloudflare.com/client/v4', account: '0123456789abcdef0123456789abcdef' };
const gateway: ControlPlane = { shape: 'namespace', apiUrl: 'https://artifacts.cloudflare.net/v1/api' };

describe('routes', () => {
  it.each<[string, ControlPlane, string, string]>([
    ['namespace', account, namespacePath(account, 'default'), '/accounts/0123456789abcdef0123456789abcdef/artifacts/namespaces/default'],
    ['namespace', gateway, namespacePath(gateway, 'default'), '/namespaces/default'],
    ['tokens', account, tokensPath(account, 'ns.1'), '/accounts/0123456789abcdef0123456789abcdef/artifacts/namespaces/ns.1/tokens'],
    ['tokens', gateway, tokensPath(gateway, 'ns.1'), '/namespaces/ns.1/tokens'],
    ['repo', account, repoPath(account, { namespace: 'default', repo: 'a_b-c' }), '/accounts/0123456789abcdef0123456789abcdef/artifacts/namespaces/default/repos/a_b-c'],
    ['repo', gateway, repoPath(gateway, { namespace: 'default', repo: 'a_b-c' }), '/namespaces/default/repos/a_b-c'],
    // Names are validated before they get here; encoding is the second line of defence.
    ['encoded', gateway, repoPath(gateway, { namespace: 'a/b', repo: 'c?d' }), '/namespaces/a%2Fb/repos/c%3Fd'],
    ['encoded', { ...account, account: 'x/y' }, tokensPath({ ...account, account: 'x/y' }, 'ns'), '/accounts/x%2Fy/artifacts/namespaces/ns/tokens'],
  ])('%s path for %o', (_what, _cp, got, want) => expect(got).toBe(want));

  // URL parsing resolves `.` and `..` segments (https://url.spec.whatwg.org/#double-dot-path-segment),
  // and encodeURIComponent leaves dots alone: a token id of `..` from a server's answer would
  // turn DELETE …/tokens/.. into a DELETE of the namespace. A `%` is encoded, so `%2e` is safe.
  it.each(['..', '.', ''])('a token id %j names no path segment: refused', (id) => {
    expect(() => tokenPath(account, 'default', id)).toThrow(/cannot name a token/);
  });

  it('a token id with %2e stays one segment', () => {
    expect(tokenPath(gateway, 'default', '%2e%2e')).toBe('/namespaces/default/tokens/%252e%252e');
    expect(new URL(`${gateway.apiUrl}${tokenPath(gateway, 'default', '%2e%2e')}`).pathname).toBe('/v1/api/namespaces/default/tokens/%252e%252e');
  });

  it('says where', () => {
    expect(whereText(account)).toBe('in account 0123456789abcdef0123456789abcdef');
    expect(whereText(gateway)).toBe('at https://artifacts.cloudflare.net/v1/api');
  });
});

describe('controlPlane', () => {
  it.each<[string, string | undefined, ControlPlane | 'error']>([
    ['https://api.cloudflare.com/client/v4', 'acct', { shape: 'account', apiUrl: 'https://api.cloudflare.com/client/v4', account: 'acct' }],
    ['https://api.cloudflare.com/client/v4', undefined, 'error'],
    ['https://api.cloudflare.com/client/v4', '', 'error'],
    // The shape comes from the URL; an account given with a namespace-scoped URL is not used.
    ['https://artifacts.cloudflare.net/v1/api', 'acct', { shape: 'namespace', apiUrl: 'https://artifacts.cloudflare.net/v1/api' }],
    ['https://artifacts.cloudflare.net/edge/v1/api', undefined, { shape: 'namespace', apiUrl: 'https://artifacts.cloudflare.net/edge/v1/api' }],
  ])('%s with account %s', (apiUrl, acct, want) => {
    if (want !== 'error') return expect(controlPlane(apiUrl, acct)).toEqual(want);
    try {
      controlPlane(apiUrl, acct);
      expect.unreachable();
    } catch (e) {
      expect(isArtifactsError(e) && e.code).toBe('config.invalid');
    }
  });
});
