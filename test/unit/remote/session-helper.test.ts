// The wrapper's own answer (src/remote/session-helper.ts) against a real token cache and real
// files: an answer only on a cache hit above the refresh margin, written privately, gone on
// drop; the real helper behind it in every other case.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helperCommand, shellQuote } from '../../../src/gitconfig/helper-command.js';
import { answerSource, SessionHelper } from '../../../src/remote/session-helper.js';
import { helperScript } from '../../../src/remote/answer-helper.js';
import { TokenCache } from '../../../src/token/cache.js';
import type { Trace } from '../../../src/trace.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'session-helper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const now = 1_800_000_000_000;
const gitUrl = 'http://127.0.0.1:8787';
const apiUrl = 'http://127.0.0.1:8787/client/v4';
const argv = ['/opt/bin/git-credential-artifacts', '--git-url', gitUrl, '--api-url', apiUrl, '--account', 'acct'];
const key = { origin: gitUrl, apiUrl, account: 'acct', namespace: 'ns', repo: 'repo', scope: 'write' as const };

let n = 0;
function world(url = `${gitUrl}/git/ns/repo.git`) {
  const dir = mkdtempSync(path.join(root, 'op-'));
  const cacheDir = path.join(root, `cache-${++n}`);
  const events: string[] = [];
  const trace: Trace = (event, details) => events.push(`${event} ${JSON.stringify(details ?? {})}`);
  const session = new SessionHelper({ url, origin: gitUrl, dir, env: { ARTIFACTS_CACHE_DIR: cacheDir }, now: () => now, trace });
  return { dir, session, events, cache: new TokenCache(cacheDir), answer: path.join(dir, 'answer') };
}

describe('SessionHelper', () => {
  it('a cached write token with life left: the answer, 0600, removed by drop', () => {
    const w = world();
    w.cache.write(key, { plaintext: 'art_v1_secret?expires=1800003600', secret: 'art_v1_secret', expiresAt: now / 1000 + 3600, id: 'tok1' });
    w.session.useHelper(helperCommand(argv, []), argv);
    w.session.prepare('write');
    expect(readFileSync(w.answer, 'utf8')).toBe('username=x\npassword=art_v1_secret\npassword_expiry_utc=1800003600\n');
    if (process.platform !== 'win32') expect(statSync(w.answer).mode & 0o777).toBe(0o600);
    expect(w.events.some((e) => e.startsWith('answer.prepared') && e.includes('"id":"tok1"') && !e.includes('art_v1_secret'))).toBe(true);
    w.session.drop();
    expect(existsSync(w.answer)).toBe(false);
    w.session.drop(); // idempotent
  });

  it.each([
    ['nothing cached', undefined, 'write' as const, /cache no entry/],
    ['a token below its refresh margin', 5, 'write' as const, /cache below refresh margin/],
    ['a cached token of the other scope', 3600, 'read' as const, /cache no entry/],
  ])('%s: no answer, the real helper mints', (_name, life, scope, why) => {
    const w = world();
    if (life !== undefined) w.cache.write(key, { plaintext: 'art_v1_s?expires=1', secret: 'art_v1_s', expiresAt: now / 1000 + life, id: 'tok2' });
    w.session.useHelper(helperCommand(argv, []), argv);
    w.session.prepare(scope);
    expect(existsSync(w.answer)).toBe(false);
    expect(w.events.find((e) => e.startsWith('answer.skipped'))).toMatch(why);
  });

  it('the real helper is written behind the child\'s, as git would run it', () => {
    const w = world();
    const value = helperCommand(argv, []);
    w.session.useHelper(value, argv);
    expect(readFileSync(path.join(w.dir, 'helper'), 'utf8')).toBe(helperScript(value));
    expect(w.session.helper).toContain(`. ${shellQuote(path.join(w.dir, 'helper'))}`);
  });

  it.each([
    ['a helper value not in configure\'s form (argv unknown)', `${gitUrl}/git/ns/repo.git`, undefined, /helper flags not understood/],
    ['a remote URL not in plain form', `${gitUrl}/git/ns/r%65po.git`, argv, /remote URL not in plain form/],
  ])('%s: never an answer of its own', (_name, url, helperArgv, why) => {
    const w = world(url);
    w.cache.write(key, { plaintext: 'art_v1_s?expires=1', secret: 'art_v1_s', expiresAt: now / 1000 + 3600, id: 'tok3' });
    w.session.useHelper('!f() { echo; }; f', helperArgv);
    w.session.prepare('write');
    expect(existsSync(w.answer)).toBe(false);
    expect(w.events.find((e) => e.startsWith('answer.off'))).toMatch(why);
  });

  it('a host the helper does not own (another origin\'s flags): skipped, nothing written', () => {
    const w = world();
    const other = ['/opt/bin/git-credential-artifacts', '--git-url', 'http://127.0.0.1:9999', '--api-url', apiUrl, '--account', 'acct'];
    w.session.useHelper(helperCommand(other, []), other);
    w.session.prepare('write');
    expect(existsSync(w.answer)).toBe(false);
    expect(w.events.find((e) => e.startsWith('answer.skipped'))).toMatch(/host not owned/);
  });
});

describe('answerSource: the endpoint in a helper argv', () => {
  it.each([
    [['/x/git-credential-artifacts'], 'cloudflare', 'https://api.cloudflare.com/client/v4'],
    [['/usr/bin/node', '/x/git-credential-artifacts.cjs', '--api-url', 'https://api.example/client/v4'], 'cloudflare', 'https://api.example/client/v4'],
    [argv, 'custom', apiUrl],
  ])('%j', (a, kind, api) => {
    const s = answerSource(a)!;
    expect(s.endpoint.kind).toBe(kind);
    expect(s.endpoint.apiUrl).toBe(api);
  });

  it.each([[['/x', '--git-url', gitUrl]], [['/x', '--bogus', '1']], [['/x', '--account']]])('%j: undefined', (a) => {
    expect(answerSource(a)).toBeUndefined();
  });
});
