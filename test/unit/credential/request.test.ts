import { describe, expect, it } from 'vitest';
import { parseCredential } from '../../../src/credential/protocol.js';
import { decide } from '../../../src/credential/request.js';
import { cloudflareEndpoint, customEndpoint } from '../../../src/endpoint/endpoint.js';

const acct = '0123456789abcdef0123456789abcdef';
const cf = cloudflareEndpoint();
const emu = customEndpoint('http://127.0.0.1:8787', 'http://127.0.0.1:8787/client/v4', 'local');
const gw = customEndpoint('https://artifacts.cloudflare.net', 'https://artifacts.cloudflare.net/v1/api', undefined);
const ask = (s: string, endpoints = [cf, emu, gw]) => decide(parseCredential(Buffer.from(s)), endpoints);

describe('decide: which requests are ours', () => {
  it.each([
    ['Cloudflare host', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/default/repo.git\n`, 'ours'],
    ['Cloudflare host, path without .git', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/default/repo\n`, 'ours'],
    ['upper-case host', `protocol=https\nhost=${acct.toUpperCase()}.ARTIFACTS.CLOUDFLARE.NET\npath=git/default/repo\n`, 'ours'],
    ['custom endpoint', 'protocol=http\nhost=127.0.0.1:8787\npath=git/default/repo.git\n', 'ours'],
    ['http to Cloudflare', `protocol=http\nhost=${acct}.artifacts.cloudflare.net\npath=git/d/r\n`, 'not-ours'],
    ['suffix attack', `protocol=https\nhost=${acct}.artifacts.cloudflare.net.evil.test\npath=git/d/r\n`, 'not-ours'],
    ['prefix attack', `protocol=https\nhost=evil${acct}.artifacts.cloudflare.net\npath=git/d/r\n`, 'not-ours'],
    ['short account', 'protocol=https\nhost=abc.artifacts.cloudflare.net\npath=git/d/r\n', 'not-ours'],
    ['nested subdomain', `protocol=https\nhost=x.${acct}.artifacts.cloudflare.net\npath=git/d/r\n`, 'not-ours'],
    ['explicit port on Cloudflare host', `protocol=https\nhost=${acct}.artifacts.cloudflare.net:443\npath=git/d/r\n`, 'not-ours'],
    ['other port on loopback', 'protocol=http\nhost=127.0.0.1:8788\npath=git/d/r\n', 'not-ours'],
    ['https on the http endpoint', 'protocol=https\nhost=127.0.0.1:8787\npath=git/d/r\n', 'not-ours'],
    ['proxy-like other host', 'protocol=http\nhost=proxy.example:3128\n', 'not-ours'],
    ['TLS client cert', 'protocol=cert\nhost=\npath=/home/u/cert.p12\n', 'not-ours'],
    ['no host', 'protocol=https\npath=git/d/r\n', 'not-ours'],
    ['no protocol', `host=${acct}.artifacts.cloudflare.net\npath=git/d/r\n`, 'not-ours'],
    ['older .dev host', `protocol=https\nhost=${acct}.artifacts.cloudflare.dev\npath=git/d/r\n`, 'not-ours'],
    ['github', 'protocol=https\nhost=github.com\npath=o/r.git\n', 'not-ours'],
    ['owned, no path (useHttpPath missing)', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\n`, 'ours-unusable'],
    ['owned, not an Artifacts path', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=default/repo.git\n`, 'ours-unusable'],
    ['owned, traversal in path', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/../repo.git\n`, 'ours-unusable'],
    ['owned, extra segment', `protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/a/b/c.git\n`, 'ours-unusable'],
    // A namespace-scoped endpoint: <ns>/<repo>(.git), no account anywhere.
    ['namespace-scoped endpoint', 'protocol=https\nhost=artifacts.cloudflare.net\npath=default/repo.git\n', 'ours'],
    ['namespace-scoped, no .git', 'protocol=https\nhost=artifacts.cloudflare.net\npath=default/repo\n', 'ours'],
    ['namespace-scoped, the account form', 'protocol=https\nhost=artifacts.cloudflare.net\npath=git/default/repo.git\n', 'ours-unusable'],
    ['namespace-scoped, traversal', 'protocol=https\nhost=artifacts.cloudflare.net\npath=../repo.git\n', 'ours-unusable'],
    ['namespace-scoped, over http', 'protocol=http\nhost=artifacts.cloudflare.net\npath=default/repo.git\n', 'not-ours'],
    ['namespace-scoped, a host ending in it', 'protocol=https\nhost=evil.artifacts.cloudflare.net\npath=default/repo.git\n', 'not-ours'],
  ])('%s', (_name, input, kind) => {
    expect(ask(input).kind).toBe(kind);
  });

  it('a namespace-scoped endpoint owns with no account and says its path form', () => {
    const d = ask('protocol=https\nhost=artifacts.cloudflare.net\npath=ns-1/my.repo.git\n');
    expect(d).toMatchObject({ kind: 'ours', owned: { endpoint: { shape: 'namespace' }, account: undefined }, ref: { namespace: 'ns-1', repo: 'my.repo' } });
    const bad = ask('protocol=https\nhost=artifacts.cloudflare.net\npath=git/ns-1/my.repo.git\n');
    expect(bad.kind === 'ours-unusable' && bad.error.hint).toMatch(/https:\/\/artifacts\.cloudflare\.net\/<namespace>\/<repo>\.git/);
  });

  it('takes the account from the Cloudflare host and the repo from the path', () => {
    const d = ask(`protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=git/ns-1/my.repo.git\n`);
    expect(d).toMatchObject({ kind: 'ours', owned: { account: acct }, ref: { namespace: 'ns-1', repo: 'my.repo' } });
  });

  it('a missing path says how to fix it', () => {
    const d = ask(`protocol=https\nhost=${acct}.artifacts.cloudflare.net\n`);
    expect(d.kind === 'ours-unusable' && d.error.hint).toMatch(/useHttpPath true/);
  });
});

describe('decide: a repo path of the right shape whose names break the rules says the rule (issue 21)', () => {
  it.each([
    ['non-ASCII repo', 'git/default/répo.git', /^"git\/default\/répo\.git" on \S+ is not an Artifacts repo path: invalid repo name "répo": a repo name is 1 to 255 ASCII letters/],
    ['over-long repo', `git/default/${'r'.repeat(300)}.git`, /^"git\/default\/r{52}…" \(316 characters\) on \S+ is not an Artifacts repo path: invalid repo name "r{64}…" \(300 characters\): a repo name is 1 to 255/],
    ['one-letter namespace', 'git/d/repo.git', /is not an Artifacts repo path: invalid namespace "d": a namespace is 2 to 63/],
    ['wrong shape: no rule to name', 'default/repo.git', /^"default\/repo\.git" on \S+ is not an Artifacts repo path$/],
  ])('%s', (_name, path, want) => {
    const d = ask(`protocol=https\nhost=${acct}.artifacts.cloudflare.net\npath=${path}\n`);
    expect(d.kind).toBe('ours-unusable');
    expect(d.kind === 'ours-unusable' && d.error.message).toMatch(want);
  });
});
