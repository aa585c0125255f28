// The hosts configure writes into gitconfig section headers come from --git-url and --api-url:
// only plain DNS names, IPv4 and bracketed IPv6 (with an optional port) get there.
import { describe, expect, it } from 'vitest';
import { customEndpoint, parseApiUrl, parseHostUrl } from '../../../src/endpoint/endpoint.js';
import { ArtifactsError } from '../../../src/errors.js';

describe('git and API origins', () => {
  it.each([
    'https://git.example.com',
    'https://git.example.com:8443',
    'http://127.0.0.1:8787',
    'http://localhost:1',
    'http://[::1]:9',
    'https://[2001:db8::1]',
    'https://xn--bcher-kva.example',
    'https://bücher.example', // IDNA maps it to the xn-- form above
    'https://GIT.Example.COM',
  ])('%s is accepted', (url) => {
    expect(customEndpoint(url, 'http://127.0.0.1:1/client/v4', 'acct')).toMatchObject({ kind: 'custom' });
    expect(parseApiUrl(`${url}/client/v4`)).toMatch(/^https?:\/\/[a-z0-9.:[\]-]+\/client\/v4$/);
  });

  it.each([
    ['https://a"b.example', /no quote, backslash/],
    ['https://a\\b.example', /no quote, backslash/],
    ['https://a b.example', /no quote, backslash/],
    ['https://a\tb.example', /no quote, backslash/],
    ['https://ab.example\n', /no quote, backslash/],
    ['https://a\nb.example', /no quote, backslash/],
    ['https://a\rb.example', /no quote, backslash/],
    ['https://a\u0000b.example', /no quote, backslash/],
    ['https://a\u2028b.example', /no quote, backslash/],
    ['https://a\u00a0b.example', /no quote, backslash/],
    ["https://a'b.example", /not a plain DNS name/],
    ['https://a]b.example', /not a URL|not a plain/],
    ['https://*.example.com', /not a plain DNS name/],
    ['https://a_b.example', /not a plain DNS name/],
    ['https://-a.example', /not a plain DNS name/],
    ['https://a..example', /not a plain DNS name/],
    ['https://example.com.', /not a plain DNS name/],
    ['https://a$b.example', /not a plain DNS name/],
    ['https://a;b.example', /not a plain DNS name/],
    ['https://a!b.example', /not a plain DNS name/],
    ['https://a{b}.example', /not a plain DNS name/],
    [`https://${'a'.repeat(64)}.example`, /not a plain DNS name/],
  ])('%j is refused with a clear message', (url, message) => {
    for (const make of [() => customEndpoint(url, 'http://127.0.0.1:1/client/v4', 'acct'), () => parseApiUrl(`${url}/client/v4`)]) {
      expect(make).toThrow(ArtifactsError);
      expect(make).toThrow(message);
      try {
        make();
      } catch (e) {
        expect((e as ArtifactsError).exitCode).toBe(2);
        expect((e as ArtifactsError).message).not.toMatch(/[\n\r]/);
        expect((e as ArtifactsError).hint).toMatch(/https?:\/\//);
      }
    }
  });

  it('names the flag it checks', () => {
    expect(() => parseHostUrl('--api-url', 'https://a"b')).toThrow(/^--api-url /);
    expect(() => parseHostUrl('--git-url', 'https://a"b')).toThrow(/^--git-url /);
  });
});
