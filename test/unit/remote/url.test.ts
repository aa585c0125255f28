import { describe, expect, it } from 'vitest';
import { parseRemoteUrl } from '../../../src/remote/url.js';
import { isArtifactsError } from '../../../src/errors.js';

const acct = '0123456789abcdef0123456789abcdef';
const cf = `https://${acct}.artifacts.cloudflare.net`;

describe('parseRemoteUrl: artifacts://<namespace>/<repo>', () => {
  it.each([
    ['plain', 'artifacts://default/demo', { namespace: 'default', repo: 'demo' }],
    ['.git suffix dropped', 'artifacts://default/demo.git', { namespace: 'default', repo: 'demo' }],
    ['trailing slash', 'artifacts://default/demo/', { namespace: 'default', repo: 'demo' }],
    ['dots, dashes, underscores', 'artifacts://my-ns.1/my_repo-2.x', { namespace: 'my-ns.1', repo: 'my_repo-2.x' }],
    ['scheme in upper case', 'ARTIFACTS://default/demo', { namespace: 'default', repo: 'demo' }],
  ])('%s: %s', (_name, raw, expected) => {
    expect(parseRemoteUrl(raw)).toEqual({ kind: 'named', ...expected });
  });
});

describe('parseRemoteUrl: the <url> of artifacts::<url>', () => {
  it.each([
    ['Cloudflare remote', `${cf}/git/default/demo.git`, 'https', cf],
    ['host in upper case: origin lower-cased', `https://${acct.toUpperCase()}.ARTIFACTS.cloudflare.net/git/d/r.git`, 'https', cf],
    ['any https host', 'https://git.example.com:8443/git/d/r.git', 'https', 'https://git.example.com:8443'],
    ['http on 127.0.0.1', 'http://127.0.0.1:8787/git/default/demo.git', 'http', 'http://127.0.0.1:8787'],
    ['http on localhost', 'http://localhost:8787/git/d/r.git', 'http', 'http://localhost:8787'],
    ['http on [::1]', 'http://[::1]:8787/git/d/r.git', 'http', 'http://[::1]:8787'],
  ])('%s: %s', (_name, raw, scheme, origin) => {
    expect(parseRemoteUrl(raw)).toEqual({ kind: 'direct', url: raw, scheme, origin });
  });
});

describe('parseRemoteUrl rejects', () => {
  it.each([
    ['no repo', 'artifacts://default'],
    ['too many segments', 'artifacts://default/a/b'],
    ['empty', 'artifacts://'],
    ['bad namespace (one char)', 'artifacts://d/repo'],
    ['bad repo (leading dot)', 'artifacts://default/.repo'],
    ['dot-dot in a name', 'artifacts://default/re..po'],
    ['user name in artifacts://', 'artifacts://x@default/repo'],
    ['query in artifacts://', 'artifacts://default/repo?x=1'],
    ['LF smuggling', 'artifacts://default/repo\nhost=evil'],
    ['CR', `${cf}/git/d/r.git\r`],
    ['U+2028', `${cf}/git/d/r.git\u2028`],
    ['http to a public host', 'http://example.com/git/d/r.git'],
    ['http to a host that merely starts like loopback', 'http://127.0.0.1.evil.test/git/d/r.git'],
    ['ssh', 'ssh://git@example.com/d/r.git'],
    ['scp-like', 'git@example.com:d/r.git'],
    ['a path', '/srv/git/r.git'],
    ['user name in the URL (libcurl would answer the 401 itself)', `https://push@${acct}.artifacts.cloudflare.net/git/d/r.git`],
    ['password in the URL', `https://x:art_v1_secret@${acct}.artifacts.cloudflare.net/git/d/r.git`],
    ['query string', `${cf}/git/d/r.git?expires=1`],
    ['fragment', `${cf}/git/d/r.git#x`],
  ])('%s', (_name, raw) => {
    let error: unknown;
    try {
      parseRemoteUrl(raw);
    } catch (e) {
      error = e;
    }
    expect(isArtifactsError(error) && error.code).toBe('remote.invalid');
  });

  it.each([
    ['an over-long repo name', `artifacts://default/${'r'.repeat(300)}`, /invalid repo name "r{64}…" \(300 characters\): a repo name is 1 to 255 ASCII letters/],
    ['a non-ASCII repo name', 'artifacts://default/répo', /invalid repo name "répo": a repo name is 1 to 255 ASCII letters, digits, "\.", "_" or "-"/],
    ['a non-ASCII namespace', 'artifacts://名前/repo', /invalid namespace "名前": a namespace is 2 to 63 ASCII letters/],
    ['a one-letter namespace', 'artifacts://d/repo', /invalid namespace "d": a namespace is 2 to 63/],
  ])('%s: the message states the rule, on one bounded line', (_name, raw, want) => {
    let error: unknown;
    try {
      parseRemoteUrl(raw);
    } catch (e) {
      error = e;
    }
    expect(isArtifactsError(error) && error.message).toMatch(want);
    expect(isArtifactsError(error) && error.message.length).toBeLessThan(400);
    expect(isArtifactsError(error) && error.message).not.toContain('\n');
  });

  it('never repeats a password from the URL in its message', () => {
    expect(() => parseRemoteUrl(`https://x:hunter2@${acct}.artifacts.cloudflare.net/git/d/r.git`)).toThrow(/^(?!.*hunter2)/s);
  });
});
