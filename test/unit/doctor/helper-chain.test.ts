// The helper list git runs for a URL, and the checks on it, from config entries in git's order.
import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../../src/doctor/config-list.js';
import { checkExtraHeader, checkHelperChain, checkPushRouting, helperChain } from '../../../src/doctor/helper-chain.js';

const ours = '!f() { case "$1" in get|erase) exec /usr/bin/node /opt/gca/git-credential-artifacts.cjs "$@" ;; esac; }; f';
const cf = 'https://*.artifacts.cloudflare.net';
const url = 'https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net/git/ns/r.git';
const e = (key: string, value: string | undefined, scope = 'global', file = '/h/.gitconfig'): ConfigEntry => {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  return { scope, origin: `file:${file}`, section: key.slice(0, first), subsection: first === last ? undefined : key.slice(first + 1, last), name: key.slice(last + 1).toLowerCase(), value };
};
const block = [e(`credential.${cf}.helper`, ''), e(`credential.${cf}.helper`, ours), e(`credential.${cf}.useHttpPath`, 'true')];

describe('helperChain', () => {
  it.each([
    { name: 'our block alone', entries: block, want: [ours] },
    { name: 'a system keychain before our reset is dropped', entries: [e('credential.helper', 'osxkeychain', 'system', '/etc/gitconfig'), ...block], want: [ours] },
    { name: 'a later generic helper is added after ours (get-urlmatch would hide it)', entries: [...block, e('credential.helper', 'store')], want: [ours, 'store'] },
    { name: 'a later repo-local reset removes ours', entries: [...block, e('credential.helper', '', 'local', '.git/config')], want: [] },
    { name: 'helpers for other hosts do not apply', entries: [...block, e('credential.https://github.com.helper', 'gh')], want: [ours] },
    { name: 'a helper for a more specific URL after ours still applies', entries: [...block, e('credential.https://*.artifacts.cloudflare.net/git/ns.helper', 'cache')], want: [ours, 'cache'] },
  ])('$name', ({ entries, want }) => {
    expect(helperChain(entries, url).map((l) => l.value)).toEqual(want);
  });
});

describe('checkHelperChain', () => {
  const statuses = (entries: ConfigEntry[]) => checkHelperChain(entries, url, 'git-credential-artifacts configure').map((c) => `${c.id}:${c.status}`);
  it.each([
    { name: 'configured', entries: block, want: ['helper-chain:ok', 'use-http-path:ok'] },
    { name: 'store after ours', entries: [...block, e('credential.helper', 'store')], want: ['helper-chain:fail', 'use-http-path:ok'] },
    { name: 'ours reset away', entries: [...block, e('credential.helper', '', 'local', '.git/config'), e('credential.helper', 'cache', 'local', '.git/config')], want: ['helper-chain:fail', 'use-http-path:ok'] },
    { name: 'useHttpPath turned off later', entries: [...block, e('credential.useHttpPath', 'false', 'local', '.git/config')], want: ['helper-chain:ok', 'use-http-path:fail'] },
    { name: 'no useHttpPath', entries: block.slice(0, 2), want: ['helper-chain:ok', 'use-http-path:fail'] },
  ])('$name', ({ entries, want }) => {
    expect(statuses(entries)).toEqual(want);
  });

  it('names the file and prints the command that removes a helper after ours', () => {
    const [check] = checkHelperChain([...block, e('credential.helper', 'store --file=/x')], url, 'configure');
    expect(check).toEqual({
      id: 'helper-chain',
      status: 'fail',
      found: 'helper "store --file=/x" from global config /h/.gitconfig runs after ours: git hands it every token we answer (`store`)',
      fix: 'git config --file "/h/.gitconfig" --unset-all credential.helper "^store --file=/x$"',
    });
  });
});

describe('checkExtraHeader and checkPushRouting', () => {
  it.each([
    { entries: [], want: 'ok' },
    { entries: [e(`http.${cf}.extraHeader`, 'Authorization: Basic eDp5')], want: 'fail' },
    { entries: [e('http.extraHeader', 'AUTHORIZATION: bearer x')], want: 'fail' },
    { entries: [e('http.extraHeader', 'Authorization: Basic eDp5'), e('http.extraHeader', '')], want: 'ok' }, // reset
    { entries: [e('http.https://github.com.extraHeader', 'Authorization: Basic eDp5')], want: 'ok' },
    { entries: [e('http.extraHeader', 'X-Trace: 1')], want: 'ok' },
  ])('extraHeader %#: $want', ({ entries, want }) => {
    expect(checkExtraHeader(entries, url).status).toBe(want);
  });

  const base = 'https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net/';
  it.each([
    { entries: [], want: ['push-routing:warn'] },
    { entries: [e(`url.artifacts::${base}.pushInsteadOf`, base), e('protocol.artifacts.allow', 'always')], want: ['push-routing:ok', 'protocol-allow:ok'] },
    { entries: [e(`url.artifacts::${base}.pushInsteadOf`, base)], want: ['push-routing:ok', 'protocol-allow:fail'] },
    { entries: [e(`url.artifacts::${base}.pushInsteadOf`, base), e('protocol.artifacts.allow', 'always'), e('protocol.artifacts.allow', 'never', 'local')], want: ['push-routing:ok', 'protocol-allow:fail'] },
    { entries: [e('url.artifacts::https://other.example/.pushInsteadOf', 'https://other.example/')], want: ['push-routing:warn'] },
  ])('push routing %#', ({ entries, want }) => {
    expect(checkPushRouting(entries, url, 'configure --account X').map((c) => `${c.id}:${c.status}`)).toEqual(want);
  });
});
