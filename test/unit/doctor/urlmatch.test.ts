// git's URL matching for credential.<url> and http.<url> (git-config(1), urlmatch.c): tables of
// what git does, then properties over generated URLs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUrl, urlMatches } from '../../../src/doctor/urlmatch.js';

describe('urlMatches', () => {
  it.each([
    ['https://*.artifacts.cloudflare.net', 'https://0123abcd.artifacts.cloudflare.net/git/ns/r.git', true],
    ['https://*.artifacts.cloudflare.net', 'https://a.b.artifacts.cloudflare.net/git/ns/r.git', false], // * is one label
    ['https://*.artifacts.cloudflare.net', 'https://artifacts.cloudflare.net/git/ns/r.git', false],
    ['https://*.artifacts.cloudflare.net', 'http://x.artifacts.cloudflare.net/', false], // scheme
    ['https://*.ARTIFACTS.cloudflare.net/', 'HTTPS://X.artifacts.Cloudflare.NET/a', true], // case
    ['https://x*.example.com', 'https://xy.example.com/', false], // * only as a whole label
    ['https://example.com', 'https://example.com:443/r', true], // default port
    ['https://example.com:8443', 'https://example.com/r', false],
    ['http://127.0.0.1:9', 'http://127.0.0.1:9/git/default/example.git', true],
    ['http://127.0.0.1:9', 'http://127.0.0.1:90/git', false],
    ['https://example.com/git', 'https://example.com/git/ns/r.git', true],
    ['https://example.com/git/', 'https://example.com/git', true],
    ['https://example.com/gi', 'https://example.com/git/ns', false], // prefix at a / boundary
    ['https://example.com/a/../git', 'https://example.com/git/x', true],
    ['https://me@example.com', 'https://example.com/r', false], // a user in the pattern must match
    ['https://me@example.com', 'https://me@example.com/r', true],
    ['https://example.com', 'https://me@example.com/r', true], // no user: any user
    ['example.com', 'https://example.com/r', false], // not a URL: matches nothing
    ['', 'https://example.com/r', false],
  ])('%s vs %s -> %s', (pattern, url, want) => {
    expect(urlMatches(pattern, url)).toBe(want);
  });
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const segment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,8}$/);
const urlParts = fc.record({ scheme: fc.constantFrom('http', 'https'), host, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), path: fc.array(segment, { maxLength: 4 }) });
const render = (p: { scheme: string; host: string; port?: number; path: string[] }) => `${p.scheme}://${p.host}${p.port === undefined ? '' : `:${p.port}`}/${p.path.join('/')}`;

describe('urlMatches properties', () => {
  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => typeof urlMatches(a, b) === 'boolean' && (parseUrl(a) === undefined || typeof parseUrl(a)!.host === 'string')));
  });

  it('a URL matches itself, and every path prefix of it at a / boundary matches it', () => {
    fc.assert(
      fc.property(urlParts, fc.nat(), (p, cut) => {
        const url = render(p);
        const prefix = render({ ...p, path: p.path.slice(0, cut % (p.path.length + 1)) });
        return urlMatches(url, url) && urlMatches(prefix, url);
      }),
    );
  });

  it('a prefix that ends inside a path segment does not match', () => {
    fc.assert(
      fc.property(urlParts, segment, segment, (p, a, b) => {
        const url = render({ ...p, path: [...p.path, a + b] });
        return !urlMatches(render({ ...p, path: [...p.path, a] }), url) || a + b === a;
      }),
    );
  });

  it('`*` stands for exactly one host label', () => {
    fc.assert(
      fc.property(urlParts, label, label, (p, extra, other) => {
        const wild = render({ ...p, host: `*.${p.host}`, path: [] });
        return urlMatches(wild, render({ ...p, host: `${extra}.${p.host}` })) && !urlMatches(wild, render({ ...p, host: `${other}.${extra}.${p.host}` })) && !urlMatches(wild, render(p));
      }),
    );
  });

  it('scheme and host compare without case; another port never matches', () => {
    fc.assert(
      fc.property(urlParts, fc.integer({ min: 1, max: 65535 }), (p, port) => {
        const url = render(p);
        const upper = render({ ...p, scheme: p.scheme.toUpperCase(), host: p.host.toUpperCase() });
        const moved = render({ ...p, port });
        const samePort = (p.port ?? (p.scheme === 'https' ? 443 : 80)) === port;
        return urlMatches(upper, url) && (samePort || !urlMatches(moved, url));
      }),
    );
  });
});
