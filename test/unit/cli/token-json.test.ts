// `token` and the --json of login, logout and revoke (issue 23), in-process (./world.ts): the
// key `token` serves is the one git's `get` computes, its input is refused as revoke refuses it,
// --json stdout is one document with the documented keys, errors stay on stderr, and a command
// still waiting on the API after a second says so on stderr.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKeyFor } from '../../../src/credential/cached-answer.js';
import { parseCredential } from '../../../src/credential/protocol.js';
import { decide } from '../../../src/credential/request.js';
import { parseHelperArgs } from '../../../src/credential/args.js';
import { helperCommand } from '../../../src/gitconfig/helper-command.js';
import { readLogins } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';
import { tokenTarget } from '../../../src/cli/token-target.js';
import { apiToken, cfApi, emuApi, fails, World } from './world.js';

let w: World;
beforeEach(() => {
  w = new World();
  // A loopback API: its token comes from ARTIFACTS_API_TOKEN (auth/credential-origin.ts).
  w.env.ARTIFACTS_API_TOKEN = apiToken;
});
afterEach(() => rmSync(w.home, { recursive: true, force: true }));

const account = '0123456789abcdef0123456789abcdef';
const self = ['/usr/bin/node', '/opt/gca/git-credential-artifacts.cjs'];
const emuFlags = ['--git-url', 'http://127.0.0.1:9', '--api-url', emuApi, '--account', 'acct_1'];

/** What configure writes for an endpoint: a reset, then our helper line. */
function configured(w: World, url: string, flags: string[]): void {
  const key = `credential.${url}.helper`;
  w.config.set(key, [...(w.config.get(key) ?? []), '', helperCommand(self, flags)]);
}

/** The key git's own `get` computes for this request to the helper with these flags (src/credential/main.ts). */
function gitsKey(flags: string[], request: string, scope: 'read' | 'write') {
  const { endpoint } = parseHelperArgs(flags);
  const d = decide(parseCredential(Buffer.from(request)), [endpoint]);
  if (d.kind !== 'ours') throw new Error(d.kind);
  return cacheKeyFor(d, endpoint.apiUrl, scope);
}

describe('token: the cache key is the one git uses', () => {
  it.each([
    { name: 'a custom account-scoped endpoint', url: 'http://127.0.0.1:9', flags: emuFlags, request: 'protocol=http\nhost=127.0.0.1:9\npath=git/default/demo.git\n\n' },
    { name: 'a namespace-scoped endpoint', url: 'http://127.0.0.1:9', flags: ['--git-url', 'http://127.0.0.1:9', '--api-url', 'http://127.0.0.1:9/v1/api'], request: 'protocol=http\nhost=127.0.0.1:9\npath=default/demo.git\n\n' },
    { name: "Cloudflare's hosts, the account from artifacts.account", url: 'https://*.artifacts.cloudflare.net', flags: [], request: `protocol=https\nhost=${account}.artifacts.cloudflare.net\npath=git/default/demo.git\n\n`, acct: account },
  ])('$name', async (row) => {
    configured(w, row.url, row.flags);
    if (row.acct) w.config.set('artifacts.account', [row.acct]);
    const io = { env: w.env } as never;
    const target = await tokenTarget({ namespace: 'default', repo: 'demo' }, 'write', {}, { git: w.deps(io).git, io });
    expect(target.key).toEqual(gitsKey(row.flags, row.request, 'write'));
  });

  it('the helper line\'s own settings apply (its --read-ttl), as for git', async () => {
    configured(w, 'http://127.0.0.1:9', [...emuFlags, '--read-ttl', '1200']);
    const io = { env: w.env } as never;
    const target = await tokenTarget({ namespace: 'default', repo: 'demo' }, 'read', {}, { git: w.deps(io).git, io });
    expect(target.settings.ttl.read).toBe(1200);
  });
});

describe('token', () => {
  beforeEach(() => configured(w, 'http://127.0.0.1:9', emuFlags));

  it('a cached token: printed on one line, nothing asked of the API; --json has token, scope and expires_at', async () => {
    const key = w.cacheToken(emuApi, 'acct_1', 'demo', 'read');
    const cached = w.cache.read(key)!;
    const text = await w.run(['token', 'default/demo']);
    expect(text).toEqual({ code: 0, stdout: `${cached.plaintext}\n`, stderr: '' });
    const json = await w.run(['token', 'default/demo', '--scope', 'read', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ token: cached.plaintext, scope: 'read', expires_at: new Date(cached.expiresAt! * 1000).toISOString() });
    expect(w.calls).toEqual([]);
  });

  it('traced: the trace names the id, never the token', async () => {
    const key = w.cacheToken(emuApi, 'acct_1', 'demo', 'read');
    w.env.ARTIFACTS_TRACE = '1';
    const r = await w.run(['token', 'default/demo']);
    expect(r.stderr).toMatch(/cache\.hit scope=read id=id-demo-read/);
    expect(r.stderr).not.toContain(w.cache.read(key)!.secret);
  });

  it('--ttl: a cached token that outlives it is not handed out (a mint is tried, and fails here, saying why)', async () => {
    const key = w.cacheToken(emuApi, 'acct_1', 'demo', 'read', { expiresIn: 3600 });
    w.env.ARTIFACTS_TIMEOUT = '1';
    const r = await w.run(['token', 'default/demo', '--ttl', '600']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(r.stderr).not.toContain(w.cache.read(key)!.secret);
    // One with no more than that left is.
    w.cacheToken(emuApi, 'acct_1', 'demo', 'read', { expiresIn: 600 });
    expect((await w.run(['token', 'default/demo', '--ttl', '600'])).code).toBe(0);
  });

  it.each([
    { argv: ['token', 'default'], want: /^git-credential-artifacts: "default" is not <namespace>\/<repo>\ngit-credential-artifacts: hint: e\.g\. default\/my-repo\n$/ },
    { argv: ['token', '../x'], want: /invalid namespace "\.\.": a namespace is 2 to 63/ },
    { argv: ['token', `default/${'x'.repeat(300)}`], want: /invalid repo name "x{64}…" \(300 characters\): a repo name is 1 to 255/ },
    { argv: ['token', 'default/demo', '--scope', 'admin'], want: /Allowed choices are read, write/ },
    { argv: ['token', 'default/demo', '--ttl', '10'], want: /--ttl must be a whole number of seconds from 60 to 31536000, got "10"/ },
    { argv: ['token', 'default/demo', '--ttl', '1e3'], want: /--ttl must be a whole number of seconds/ },
    { argv: ['token'], want: /missing required argument 'namespace\/repo'/ },
  ])('$argv: refused on stderr, exit 2, nothing on stdout', async ({ argv, want }) => {
    const r = await w.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(want);
  });

  it('the same <ns>/<repo> message as revoke', async () => {
    for (const arg of ['default', '../x', '名前/répo']) {
      expect((await w.run(['token', arg])).stderr).toBe((await w.run(['revoke', arg])).stderr);
    }
  });

  it('two configured endpoints: which one is asked for', async () => {
    configured(w, 'https://*.artifacts.cloudflare.net', []);
    const r = await w.run(['token', 'default/demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configure set up 2 endpoints \(http:\/\/127\.0\.0\.1:9, https:\/\/\*\.artifacts\.cloudflare\.net\); which one is meant\?\n.*hint: name it/);
  });

  it("Cloudflare's hosts with no account anywhere: says where to give one", async () => {
    w.config.clear();
    const r = await w.run(['token', 'default/demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/which Cloudflare account\? none is configured\n.*hint: pass --account <ACCOUNT_ID>, set CLOUDFLARE_ACCOUNT_ID/);
  });
});

describe('login --json', () => {
  it('the login as one document: api_url, account, store, file, token_id', async () => {
    const r = await w.run(['login', '--with-token', '--json'], `${apiToken}\n`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ api_url: cfApi, account: null, store: 'keychain', file: null, token_id: 'tokid' });
    const file = await w.run(['login', '--with-token', '--json', '--insecure-storage', '--account', account], `${apiToken}\n`);
    expect(JSON.parse(file.stdout)).toEqual({ api_url: cfApi, account, store: 'file', file: w.file.file, token_id: 'tokid' });
  });

  it('an error: stderr and a non-zero exit, stdout empty', async () => {
    w.answer = fails('auth.rejected', 'rejected', () => true);
    const r = await w.run(['login', '--with-token', '--json'], `${apiToken}\n`);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/does not accept this API token/);
  });
});

describe('logout --json', () => {
  it('logged_out, kept and tokens, with each token\'s outcome', async () => {
    await w.login('keychain', storeKey(cfApi, account));
    w.cacheToken(cfApi, account, 'r1', 'read');
    w.cacheToken(cfApi, account, 'r2', 'read', { expiresIn: -10 });
    const r = await w.run(['logout', '--account', account, '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as { tokens: Array<{ repo: string }> };
    doc.tokens.sort((a, b) => a.repo.localeCompare(b.repo));
    expect(doc).toEqual({
      logged_out: [{ api_url: cfApi, account, store: 'keychain', token_removed: true }],
      kept: [],
      tokens: [
        { api_url: cfApi, account, namespace: 'default', repo: 'r1', scope: 'read', id: 'id-r1-read', outcome: 'revoked', error: null },
        { api_url: cfApi, account, namespace: 'default', repo: 'r2', scope: 'read', id: 'id-r2-read', outcome: 'expired', error: null },
      ],
    });
    expect(readLogins(w.env)).toEqual([]);
  });

  it('a failed revoke: outcome failed with its error, said on stderr too, exit 1', async () => {
    await w.login('file', storeKey(cfApi, account));
    w.cacheToken(cfApi, account, 'r1', 'read');
    w.answer = fails('api.unavailable', 'cannot reach the API', (c) => c.method === 'DELETE');
    const r = await w.run(['logout', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not revoke default\/r1 read token id-r1-read: cannot reach the API/);
    expect(JSON.parse(r.stdout).tokens).toEqual([expect.objectContaining({ repo: 'r1', outcome: 'failed', error: 'cannot reach the API' })]);
  });

  it('not logged in: an error on stderr, nothing on stdout', async () => {
    const r = await w.run(['logout', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not logged in/);
  });
});

describe('revoke --json', () => {
  it.each([
    { argv: ['revoke', 'default/nope', '--json'], wantCode: 0, want: [] },
    { argv: ['revoke', 'default/r1', '--scope', 'write', '--json'], wantCode: 0, want: [{ api_url: emuApi, account: 'acct_1', namespace: 'default', repo: 'r1', scope: 'write', id: 'id-r1-write', outcome: 'revoked', error: null }] },
    { argv: ['revoke', 'default/r2', '--json'], wantCode: 0, want: [expect.objectContaining({ repo: 'r2', outcome: 'no_id', id: null })] },
  ])('$argv', async ({ argv, wantCode, want }) => {
    w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    w.cacheToken(emuApi, 'acct_1', 'r1', 'write');
    w.cacheToken(emuApi, 'acct_1', 'r2', 'read', { id: undefined });
    const r = await w.run(argv);
    expect(r).toMatchObject({ code: wantCode, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ tokens: want });
  });

  it('a failure: in the document and on stderr, exit 1', async () => {
    w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    w.answer = fails('api.unavailable', 'cannot reach 127.0.0.1:9 (ECONNREFUSED)', () => true);
    const r = await w.run(['revoke', '--all', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not revoke .*\n.*hint: the tokens that could not be revoked are still cached/);
    expect(JSON.parse(r.stdout)).toEqual({ tokens: [expect.objectContaining({ outcome: 'failed', error: 'cannot reach 127.0.0.1:9 (ECONNREFUSED)' })] });
  });
});

describe('a slow API: one notice on stderr, never in --json stdout', () => {
  /** An API that answers only once the command has said it is still working. */
  const slowUntilNotice = async (): Promise<unknown> => {
    await w.whenStderr(/git-credential-artifacts: (revoking|logging out)/);
    return [];
  };

  it('revoke --all --json', async () => {
    w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    w.answer = slowUntilNotice;
    const r = await w.run(['revoke', '--all', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('git-credential-artifacts: revoking 1 cached token on the server...\n');
    expect(JSON.parse(r.stdout).tokens).toHaveLength(1);
  });

  it('logout', async () => {
    await w.login('file', storeKey(cfApi, account));
    w.cacheToken(cfApi, account, 'r1', 'read');
    w.answer = slowUntilNotice;
    const r = await w.run(['logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('git-credential-artifacts: logging out: revoking cached repo tokens and removing the stored API token...\n');
    expect(r.stdout).toMatch(/^revoked default\/r1 read token id-r1-read\nLogged out of/);
  });
});

