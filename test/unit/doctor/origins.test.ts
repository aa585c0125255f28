// The origins configure set up, read from config entries: trusted scopes only, the helper's own
// flags, the URL looked at for each, which origin answers for a URL, and configure again.
import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../../src/doctor/config-list.js';
import { configureAgain, configuredOrigins, originFor, sampleUrl, type Configured } from '../../../src/doctor/origins.js';

const cfApi = 'https://api.cloudflare.com/client/v4';
const cf = 'https://*.artifacts.cloudflare.net';
const account = '0123456789abcdef0123456789abcdef';
const helper = (flags = '') => `!f() { case "$1" in get|erase) exec /usr/bin/node /opt/gca/git-credential-artifacts.cjs${flags} "$@" ;; esac; }; f`;
const e = (key: string, value: string | undefined, scope = 'global'): ConfigEntry => {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  return { scope, origin: 'file:/h/.gitconfig', section: key.slice(0, first), subsection: first === last ? undefined : key.slice(first + 1, last), name: key.slice(last + 1).toLowerCase(), value };
};

describe('configuredOrigins', () => {
  it.each([
    { name: 'none', entries: [e('user.name', 'x')], want: [] },
    { name: 'the Cloudflare block, the account from artifacts.account', entries: [e(`credential.${cf}.helper`, ''), e(`credential.${cf}.helper`, helper()), e('artifacts.account', account)], want: [{ pattern: cf, helper: helper(), apiUrl: cfApi, account }] },
    { name: "the helper's own flags win", entries: [e('artifacts.account', 'other'), e('credential.http://127.0.0.1:9.helper', helper(` --api-url http://127.0.0.1:9/client/v4 --account ${account}`))], want: [{ pattern: 'http://127.0.0.1:9', helper: helper(` --api-url http://127.0.0.1:9/client/v4 --account ${account}`), apiUrl: 'http://127.0.0.1:9/client/v4', account }] },
    { name: 'a repo-local or command-line block names no origin', entries: [e(`credential.${cf}.helper`, helper(), 'local'), e('credential.https://evil.example.helper', helper(), 'command')], want: [] },
    { name: 'a repo-local artifacts.account is not ours either', entries: [e(`credential.${cf}.helper`, helper()), e('artifacts.account', 'planted', 'local')], want: [{ pattern: cf, helper: helper(), apiUrl: cfApi, account: undefined }] },
    { name: 'a helper that is not ours', entries: [e(`credential.${cf}.helper`, 'store')], want: [] },
    { name: 'one per pattern, the last helper line', entries: [e(`credential.${cf}.helper`, helper(' --account a')), e(`credential.${cf}.helper`, helper(' --account b'), 'system')], want: [{ pattern: cf, helper: helper(' --account b'), apiUrl: cfApi, account: 'b' }] },
  ])('$name', ({ entries, want }) => {
    expect(configuredOrigins(entries)).toEqual(want);
  });
});

const origin = (o: Partial<Configured>): Configured => ({ pattern: cf, helper: helper(), apiUrl: cfApi, account: undefined, ...o });

describe('sampleUrl and configureAgain', () => {
  it.each([
    { c: origin({ account }), url: `https://${account}.artifacts.cloudflare.net/git/default/example.git`, again: `git-credential-artifacts configure --account ${account}` },
    { c: origin({}), url: `https://${'0'.repeat(32)}.artifacts.cloudflare.net/git/default/example.git`, again: 'git-credential-artifacts configure' },
    { c: origin({ pattern: 'http://127.0.0.1:9/', apiUrl: 'http://127.0.0.1:9/client/v4', account: 'acc' }), url: 'http://127.0.0.1:9/git/default/example.git', again: 'git-credential-artifacts configure --git-url http://127.0.0.1:9 --api-url http://127.0.0.1:9/client/v4 --account acc' },
    { c: origin({ pattern: 'https://gw.example', apiUrl: 'https://gw.example/v1/api' }), url: 'https://gw.example/default/example.git', again: 'git-credential-artifacts configure --git-url https://gw.example --api-url https://gw.example/v1/api' },
  ])('$url', ({ c, url, again }) => {
    expect(sampleUrl(c)).toBe(url);
    expect(configureAgain(c)).toBe(again);
  });
});

describe('originFor', () => {
  const url = `https://${account}.artifacts.cloudflare.net/git/default/r.git`;
  const a = origin({ helper: helper(' --account a') });
  const b = origin({ pattern: `https://${account}.artifacts.cloudflare.net`, helper: helper(' --account b') });
  const other = origin({ pattern: 'https://other.example', helper: helper(' --account o') });
  it.each([
    { name: 'no origin covers the URL', origins: [other], entries: [e('credential.https://other.example.helper', other.helper)], want: undefined },
    { name: 'the only one that covers it', origins: [other, a], entries: [e(`credential.${cf}.helper`, a.helper)], want: a },
    { name: "the one git's helper chain runs", origins: [a, b], entries: [e(`credential.${cf}.helper`, a.helper), e(`credential.${b.pattern}.helper`, ''), e(`credential.${b.pattern}.helper`, b.helper)], want: b },
    { name: 'none in the chain: the first that covers it', origins: [a, b], entries: [], want: a },
  ])('$name', ({ origins, entries, want }) => {
    expect(originFor(origins, entries, url)).toEqual(want);
  });
});
