// login, logout, status and revoke in-process, through programMain and the Io seam, with
// table rows {argv, stdin, …, want…} (as cli/cli's pkg/cmd/auth tests do). Real files (stores,
// index, cache) in a throw-away home; the keychain is a store with the keychain's name (the
// real one has its own contract suite, test/unit/store/), and the API a recording fake (./world.ts).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactsError } from '../../../src/errors.js';
import { KeychainStore } from '../../../src/store/keychain-store.js';
import { loginsIndexPath, readLogins } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';
import { apiToken, cfApi, emuApi, fails, nowMs, tty, verified, World } from './world.js';

let w: World;
beforeEach(() => {
  w = new World();
});
afterEach(() => rmSync(w.home, { recursive: true, force: true }));

const account = '0123456789abcdef0123456789abcdef';

describe('login', () => {
  const rows: Array<{
    name: string;
    argv: string[];
    stdin?: string | (() => Readable);
    setup?: (w: World) => void | Promise<void>;
    wantCode: number;
    wantStdout: string | RegExp;
    wantStderr: string | RegExp;
    /** Where the token ends up: keychain, file or nowhere. */
    wantStored: 'keychain' | 'file' | 'none';
    wantCalls?: string[];
  }> = [
    {
      name: '--with-token: verified, into the keychain, for every account on Cloudflare',
      argv: ['login', '--with-token'],
      stdin: `${apiToken}\n`,
      wantCode: 0,
      wantStdout: `Logged in to ${cfApi} for every account (API token tokid); the token is kept in the OS keychain.\n`,
      wantStderr: '',
      wantStored: 'keychain',
      wantCalls: [`GET ${cfApi} /user/tokens/verify`],
    },
    {
      name: 'defaults from configure: its API URL and account, with a harmless Artifacts read',
      argv: ['login', '--with-token'],
      stdin: `  ${apiToken}  \r\n`,
      setup: (w) => {
        w.config.set('artifacts.apiUrl', [emuApi]);
        w.config.set('artifacts.account', ['acct_1']);
      },
      wantCode: 0,
      wantStdout: /^Logged in to http:\/\/127\.0\.0\.1:9\/client\/v4 for account acct_1 /,
      wantStderr: '',
      wantStored: 'keychain',
      wantCalls: [`GET ${emuApi} /user/tokens/verify`, `GET ${emuApi} /accounts/acct_1/artifacts/namespaces`],
    },
    {
      name: '--api-url elsewhere: the configured account is not carried over',
      argv: ['login', '--with-token', '--api-url', `${cfApi}/`],
      stdin: apiToken,
      setup: (w) => {
        w.config.set('artifacts.apiUrl', [emuApi]);
        w.config.set('artifacts.account', ['acct_1']);
      },
      wantCode: 0,
      wantStdout: /for every account/,
      wantStderr: '',
      wantStored: 'keychain',
      wantCalls: [`GET ${cfApi} /user/tokens/verify`],
    },
    {
      name: 'an invalid token: refused, nothing stored',
      argv: ['login', '--with-token', '--account', account],
      stdin: apiToken,
      setup: (w) => void (w.answer = fails('auth.rejected', 'the Cloudflare API refused to verify the API token (HTTP 401): Invalid API Token (code 1000)', (c) => c.path === '/user/tokens/verify')),
      wantCode: 1,
      wantStdout: '',
      wantStderr: `git-credential-artifacts: ${cfApi} does not accept this API token (invalid, expired or revoked); nothing was stored\ngit-credential-artifacts: hint: create one at https://dash.cloudflare.com/profile/api-tokens with the "Artifacts Edit" permission\n`,
      wantStored: 'none',
    },
    {
      name: 'a token without Artifacts permission on the account',
      argv: ['login', '--with-token', '--account', account],
      stdin: apiToken,
      setup: (w) => void (w.answer = fails('auth.rejected', 'refused (HTTP 403)', (c) => c.path.includes('/artifacts/'))),
      wantCode: 1,
      wantStdout: '',
      wantStderr: new RegExp(`the API token is valid but cannot use Artifacts in account ${account}; nothing was stored\\n.*hint: edit the token`),
      wantStored: 'none',
    },
    {
      name: 'an unreachable API: said so, nothing stored',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => void (w.answer = fails('api.unavailable', 'could not verify the API token: cannot reach api.cloudflare.com (ENOTFOUND)', () => true)),
      wantCode: 1,
      wantStdout: '',
      wantStderr: /cannot reach api\.cloudflare\.com \(ENOTFOUND\); nothing was stored\n.*hint: server hint\n$/,
      wantStored: 'none',
    },
    {
      name: 'a token that is not active',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => void (w.answer = () => ({ id: 'x', status: 'disabled' })),
      wantCode: 1,
      wantStdout: '',
      wantStderr: /the API token is "disabled"; nothing was stored/,
      wantStored: 'none',
    },
    {
      name: 'no keychain here: the file, and said so',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => void (w.keychainAbsent = 'no D-Bus session'),
      wantCode: 0,
      wantStdout: /the token is kept in .*api-tokens\.json \(readable only by you\)\.\n$/,
      wantStderr: 'git-credential-artifacts: no OS keychain here (no D-Bus session); keeping the token in a private file instead\n',
      wantStored: 'file',
    },
    {
      name: 'a keychain that fails (locked, hung): the file, and said so',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => void (w.keychainBroken = 'it did not answer within 3 s'),
      wantCode: 0,
      wantStdout: /api-tokens\.json/,
      wantStderr: 'git-credential-artifacts: the OS keychain is not usable: it did not answer within 3 s; keeping the token in a private file instead\n',
      wantStored: 'file',
    },
    {
      name: '--insecure-storage: the file, and the keychain copy of that login is removed (never both)',
      argv: ['login', '--with-token', '--insecure-storage'],
      stdin: apiToken,
      setup: (w) => w.login('keychain', storeKey(cfApi), 'old-token-in-keychain'),
      wantCode: 0,
      wantStdout: /api-tokens\.json/,
      wantStderr: '',
      wantStored: 'file',
    },
    {
      name: 'a keychain login replaces a file login of the same key (never both)',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => w.login('file', storeKey(cfApi), 'old-token-in-file'),
      wantCode: 0,
      wantStdout: /OS keychain/,
      wantStderr: '',
      wantStored: 'keychain',
    },
    {
      name: 'no --with-token and no terminal: usage, pointing at --with-token',
      argv: ['login'],
      stdin: apiToken,
      wantCode: 2,
      wantStdout: '',
      wantStderr: 'git-credential-artifacts: no terminal to ask for the API token on\ngit-credential-artifacts: hint: pipe it in instead: `git-credential-artifacts login --with-token < token.txt`\n',
      wantStored: 'none',
    },
    {
      name: 'a hidden prompt on a terminal: nothing echoed',
      argv: ['login'],
      stdin: () => tty(`${apiToken}x\u007f\r`),
      wantCode: 0,
      wantStdout: /^Logged in to/,
      wantStderr: /^Paste a Cloudflare API token \(create one at https:\/\/dash\.cloudflare\.com\/profile\/api-tokens with the "Artifacts Edit" permission\)\.\nAPI token: \n$/,
      wantStored: 'keychain',
    },
    {
      name: 'a paste in bracketed-paste markers, arrow keys: not part of the token',
      argv: ['login'],
      stdin: () => tty(`\u001b[200~${apiToken}\u001b[201~\u001b[D\r`),
      wantCode: 0,
      wantStdout: /^Logged in to/,
      wantStderr: /API token: \n$/,
      wantStored: 'keychain',
    },
    {
      name: 'CLOUDFLARE_API_TOKEN set: logged in, with a note that the environment wins',
      argv: ['login', '--with-token'],
      stdin: apiToken,
      setup: (w) => void (w.env.CLOUDFLARE_API_TOKEN = 'cfut_other_token_in_env_0123456789'),
      wantCode: 0,
      wantStdout: /^Logged in to/,
      wantStderr: 'git-credential-artifacts: note: CLOUDFLARE_API_TOKEN is set in this environment, and processes that have it use it instead of this login\n',
      wantStored: 'keychain',
    },
    { name: 'Ctrl-C at the prompt: exit 130, nothing stored', argv: ['login'], stdin: () => tty('abc\u0003'), wantCode: 130, wantStdout: '', wantStderr: /^Paste a Cloudflare API token .*\nAPI token: \ngit-credential-artifacts: interrupted \(Ctrl-C\); nothing was stored\n$/, wantStored: 'none' },
    { name: 'Ctrl-D at the prompt: cancelled, nothing stored', argv: ['login'], stdin: () => tty('abc\u0004'), wantCode: 2, wantStdout: '', wantStderr: /git-credential-artifacts: cancelled \(Ctrl-D\); nothing was stored\ngit-credential-artifacts: hint: run `git-credential-artifacts login` again/, wantStored: 'none' },
    { name: 'empty stdin', argv: ['login', '--with-token'], stdin: '\n\n', wantCode: 2, wantStdout: '', wantStderr: /no API token on stdin/, wantStored: 'none' },
    { name: 'two lines on stdin', argv: ['login', '--with-token'], stdin: 'a\nb\n', wantCode: 2, wantStdout: '', wantStderr: /more than one line on stdin/, wantStored: 'none' },
    { name: 'a token with a space in it', argv: ['login', '--with-token'], stdin: 'abc def\n', wantCode: 2, wantStdout: '', wantStderr: /does not look like an API token/, wantStored: 'none' },
    { name: 'a token in argv is not an option', argv: ['login', apiToken], wantCode: 2, wantStdout: '', wantStderr: /too many arguments for 'login'/, wantStored: 'none' },
    { name: 'an http API URL off loopback', argv: ['login', '--with-token', '--api-url', 'http://api.example.com/client/v4'], stdin: apiToken, wantCode: 2, wantStdout: '', wantStderr: /--api-url must be https/, wantStored: 'none' },
    { name: 'a bad account id', argv: ['login', '--with-token', '--account', 'a@b'], stdin: apiToken, wantCode: 2, wantStdout: '', wantStderr: /"a@b" is not an account id/, wantStored: 'none' },
    {
      name: 'a namespace-scoped API: its gateway JWT, checked with a namespace read (404 is fine)',
      argv: ['login', '--with-token', '--api-url', 'https://artifacts.cloudflare.net/v1/api'],
      stdin: apiToken,
      setup: (w) => void (w.answer = fails('api.not_found', 'not found', () => true)),
      wantCode: 0,
      wantStdout: 'Logged in to https://artifacts.cloudflare.net/v1/api (gateway JWT); the JWT is kept in the OS keychain.\n',
      wantStderr: '',
      wantStored: 'keychain',
      wantCalls: ['GET https://artifacts.cloudflare.net/v1/api /namespaces/default'],
    },
    {
      name: 'a gateway that refuses the JWT',
      argv: ['login', '--with-token', '--api-url', 'https://artifacts.cloudflare.net/v1/api'],
      stdin: apiToken,
      setup: (w) => void (w.answer = fails('auth.rejected', 'refused (HTTP 401)', () => true)),
      wantCode: 1,
      wantStdout: '',
      wantStderr: /does not accept this gateway JWT \(invalid or expired\); nothing was stored/,
      wantStored: 'none',
    },
    {
      name: 'a namespace-scoped API has no accounts',
      argv: ['login', '--with-token', '--api-url', 'https://artifacts.cloudflare.net/v1/api', '--account', 'acct_1'],
      stdin: apiToken,
      wantCode: 2,
      wantStdout: '',
      wantStderr: /namespace-scoped API: it has no accounts/,
      wantStored: 'none',
    },
  ];
  it.each(rows)('$name', async (row) => {
    await row.setup?.(w);
    const r = await w.run(row.argv, typeof row.stdin === 'function' ? row.stdin() : row.stdin);
    expect(r.code).toBe(row.wantCode);
    if (typeof row.wantStdout === 'string') expect(r.stdout).toBe(row.wantStdout);
    else expect(r.stdout).toMatch(row.wantStdout);
    if (typeof row.wantStderr === 'string') expect(r.stderr).toBe(row.wantStderr);
    else expect(r.stderr).toMatch(row.wantStderr);
    // The API token is in no output, whatever happened.
    expect(r.stdout + r.stderr).not.toContain(apiToken);
    const logins = readLogins(w.env);
    w.keychainBroken = undefined;
    const inKeychain = (await w.keychain.list()).length > 0;
    const inFile = (await w.file.list()).length > 0;
    const stored = row.wantStored;
    expect({ keychain: inKeychain, file: inFile }).toEqual({ keychain: stored === 'keychain' || (stored === 'none' && inKeychain), file: stored === 'file' || (stored === 'none' && inFile) });
    if (stored !== 'none') {
      expect(logins.map((l) => l.store)).toEqual([stored]);
      const key = logins[0]!;
      expect(await (stored === 'keychain' ? w.keychain : w.file).get(key)).toBe(apiToken);
    } else expect(logins).toEqual([]);
    if (row.wantCalls) expect(w.calls.map((c) => `${c.method} ${c.apiUrl} ${c.path}`)).toEqual(row.wantCalls);
    for (const c of w.calls) expect(c.bearer).toBe(apiToken);
  });

  it('the terminal is put back out of raw mode', async () => {
    const stdin = tty(`${apiToken}\r`) as Readable & { raw: boolean[] };
    await w.run(['login'], stdin);
    expect(stdin.raw).toEqual([true, false]);
  });
});

describe('logout', () => {
  it('revokes the unexpired cached tokens of that login with its stored token, drops them and the login', async () => {
    await w.login('keychain', storeKey(cfApi, account));
    const live = w.cacheToken(cfApi, account, 'r1', 'read');
    const liveWrite = w.cacheToken(cfApi, account, 'r1', 'write');
    const expired = w.cacheToken(cfApi, account, 'r2', 'read', { expiresIn: -10 });
    const other = w.cacheToken(cfApi, 'ffffffffffffffffffffffffffffffff', 'r3', 'read');
    const r = await w.run(['logout', '--account', account]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        'revoked default/r1 read token id-r1-read',
        'revoked default/r1 write token id-r1-write',
        'dropped default/r2 read token id-r2-read (already expired)',
        `Logged out of account ${account} on ${cfApi}; the API token was removed from the OS keychain.`,
      ].sort(),
    );
    expect(w.calls.map((c) => `${c.method} ${c.path} ${c.bearer}`).sort()).toEqual(
      [
        `DELETE /accounts/${account}/artifacts/namespaces/default/tokens/id-r1-read ${apiToken}`,
        `DELETE /accounts/${account}/artifacts/namespaces/default/tokens/id-r1-write ${apiToken}`,
      ].sort(),
    );
    for (const k of [live, liveWrite, expired]) expect(w.cache.read(k)).toBeUndefined();
    expect(w.cache.read(other)).toBeDefined();
    expect(readLogins(w.env)).toEqual([]);
    expect(await w.keychain.list()).toEqual([]);
  });

  it('a revoke that keeps failing is retried once, reported, and local state is cleared anyway', async () => {
    await w.login('file', storeKey(cfApi));
    const k = w.cacheToken(cfApi, account, 'r1', 'read');
    w.answer = fails('api.unavailable', 'could not revoke token id-r1-read of default/r1: cannot reach api.cloudflare.com (ECONNREFUSED)', () => true);
    const r = await w.run(['logout']);
    expect(r.code).toBe(1);
    expect(w.calls).toHaveLength(2);
    expect(w.sleeps).toEqual([1000]);
    expect(r.stderr).toBe(
      'git-credential-artifacts: could not revoke default/r1 read token id-r1-read: could not revoke token id-r1-read of default/r1: cannot reach api.cloudflare.com (ECONNREFUSED)\n' +
        'git-credential-artifacts: hint: the local state is cleared; revoke what is left in the Cloudflare dashboard, or it expires on its own\n',
    );
    expect(w.cache.read(k)).toBeUndefined();
    expect(readLogins(w.env)).toEqual([]);
    expect(await w.file.list()).toEqual([]);
  });

  it('a 404 right after a mint: retried, then the token counts as gone', async () => {
    await w.login('keychain', storeKey(cfApi));
    w.cacheToken(cfApi, account, 'r1', 'read');
    let n = 0;
    w.answer = (c) => {
      if (c.method === 'DELETE' && n++ === 0) throw new ArtifactsError('api.not_found', 'not found');
      return {};
    };
    const r = await w.run(['logout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^revoked default\/r1 read token id-r1-read\n/);
    expect(w.calls).toHaveLength(2);
  });

  it('the login for every account leaves the tokens of an account with its own login alone', async () => {
    await w.login('keychain', storeKey(cfApi));
    await w.login('keychain', storeKey(cfApi, account), 'account-token');
    const mine = w.cacheToken(cfApi, 'ffffffffffffffffffffffffffffffff', 'r1', 'read');
    const theirs = w.cacheToken(cfApi, account, 'r2', 'read');
    const r = await w.run(['logout', '--api-url', cfApi, '--account', 'ffffffffffffffffffffffffffffffff']);
    expect(r.code).toBe(1); // no login for that account exactly
    expect(r.stderr).toMatch(/not logged in/);
    const all = await w.run(['logout']);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/there are 2 logins on https:\/\/api\.cloudflare\.com\/client\/v4: \(every account\), 0123/);
    expect(w.cache.read(mine)).toBeDefined();
    const everyAccount = (await import('../../../src/cli/commands/logout.js')).servedBy;
    const rows = readLogins(w.env);
    expect(everyAccount(rows[0]!, { key: mine, token: w.cache.read(mine)! }, rows)).toBe(true);
    expect(everyAccount(rows[0]!, { key: theirs, token: w.cache.read(theirs)! }, rows)).toBe(false);
  });

  it('--all: every login, every token of theirs', async () => {
    await w.login('keychain', storeKey(cfApi, account));
    await w.login('file', storeKey(emuApi, 'acct_1'));
    w.cacheToken(cfApi, account, 'r1', 'read');
    w.cacheToken(emuApi, 'acct_1', 'r2', 'write');
    const r = await w.run(['logout', '--all']);
    expect(r.code).toBe(0);
    expect(w.calls.map((c) => `${c.apiUrl} ${c.path}`).sort()).toEqual([`${cfApi} /accounts/${account}/artifacts/namespaces/default/tokens/id-r1-read`, `${emuApi} /accounts/acct_1/artifacts/namespaces/default/tokens/id-r2-write`].sort());
    expect(readLogins(w.env)).toEqual([]);
    expect(w.cache.list()).toEqual([]);
  });

  it('a keychain that fails: asked once, not again to delete; the login and its repo tokens kept, said so', async () => {
    await w.login('keychain', storeKey(cfApi));
    const k = w.cacheToken(cfApi, account, 'r1', 'read');
    w.keychainBroken = 'it did not answer within 3 s';
    let asked = 0;
    const get = w.keychain.get;
    w.keychain.get = (key) => (asked++, get(key));
    const del = w.keychain.delete;
    w.keychain.delete = (key) => (asked++, del(key));
    const r = await w.run(['logout']);
    expect(r.code).toBe(1);
    expect(asked).toBe(1);
    expect(w.calls).toEqual([]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/could not revoke default\/r1 read token id-r1-read: the stored API token could not be read \(the OS keychain is not usable: it did not answer within 3 s\)/);
    expect(r.stderr).toMatch(/could not remove the API token of .* from the OS keychain: the OS keychain is not usable: .*; the login is kept\n/);
    expect(r.stderr).toMatch(/hint: a login whose API token could not be removed is kept, with its cached repo tokens: run `git-credential-artifacts logout` again/);
    expect(w.cache.read(k)).toBeDefined();
    expect(readLogins(w.env)).toHaveLength(1);
    // Once the keychain answers, the second logout finishes the job.
    w.keychainBroken = undefined;
    const again = await w.run(['logout']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^revoked default\/r1 read token id-r1-read\nLogged out of .*; the API token was removed from the OS keychain\.\n$/);
    expect(readLogins(w.env)).toEqual([]);
    expect(w.cache.read(k)).toBeUndefined();
  });

  it('a keychain child that hangs (a real process, killed at the bound): nothing claimed, the login kept, a second logout retries', async () => {
    await w.login('keychain', storeKey(cfApi));
    const fake = w.keychain;
    // The real KeychainStore, whose child never answers: the bound (here 300 ms, 3 s under git) ends it.
    const hung = new KeychainStore({ env: { ...w.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }, platform: 'linux', command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], timeoutMs: 300 });
    w.keychain = Object.assign(hung, { unavailableReason: () => undefined }) as typeof w.keychain;
    const started = Date.now();
    const r = await w.run(['logout']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `git-credential-artifacts: could not remove the API token of every account on ${cfApi} from the OS keychain: the OS keychain is not usable: it did not answer within 0.3 s (locked, waiting for a prompt, or its D-Bus session is stuck); the login is kept\n` +
        'git-credential-artifacts: hint: a login whose API token could not be removed is kept, with its cached repo tokens: run `git-credential-artifacts logout` again once the OS keychain answers (unlock it)\n',
    );
    expect(readLogins(w.env)).toEqual([{ apiUrl: cfApi, store: 'keychain' }]);
    const second = await w.run(['logout']);
    expect(second.stderr).not.toMatch(/not logged in/);
    expect(second.stderr).toMatch(/did not answer within 0\.3 s/);
    w.keychain = fake;
    const third = await w.run(['logout']);
    expect(third).toEqual({ code: 0, stdout: `Logged out of every account on ${cfApi}; the API token was removed from the OS keychain.\n`, stderr: '' });
    expect(readLogins(w.env)).toEqual([]);
  });

  it('not logged in: says so', async () => {
    expect(await w.run(['logout'])).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^git-credential-artifacts: not logged in\n.*hint:/) });
  });
});

describe('a damaged login index (issue 21)', () => {
  const damage = (text: string) => {
    const file = loginsIndexPath(w.env);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  it.each([
    ['not JSON', '{"v":1,"logins":[', 'it is not valid JSON'],
    ['another shape', '{"v":2}', 'it is not a version 1 login index ({"v": 1, "logins": [...]})'],
    ['a bad entry', '{"v":1,"logins":[{"apiUrl":"https://api.cloudflare.com/client/v4","store":"keychain"},{"apiUrl":7}]}', '1 of its 2 entries are not valid logins'],
  ])('%s: named with its path and fix; login and logout refuse and change nothing; status warns', async (_name, text, why) => {
    await w.login('keychain', storeKey(emuApi, 'acct_1'), 'other-account-secret-0123');
    const file = damage(text);
    const want = `git-credential-artifacts: the login index ${file} is damaged: ${why}\n` +
      `git-credential-artifacts: hint: repair it (it holds no secrets) or move it aside with \`mv ${file} ${file}.bak\` and run \`login\` again; nothing was changed\n`;
    const login = await w.run(['login', '--with-token'], apiToken);
    expect(login).toEqual({ code: 2, stdout: '', stderr: want });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(await w.keychain.list()).toEqual([{ apiUrl: emuApi, account: 'acct_1' }]);
    const logout = await w.run(['logout', '--all']);
    expect(logout).toEqual({ code: 2, stdout: '', stderr: want });
    expect(readFileSync(file, 'utf8')).toBe(text);
    const status = await w.run(['status']);
    expect(status.stderr).toBe(want.replace(': the login index', ': warning: the login index'));
  });
});

describe('status', () => {
  it('--json: the source by name and each cached token, never a secret', async () => {
    w.config.set('artifacts.apiUrl', [cfApi]);
    w.config.set('artifacts.account', [account]);
    await w.login('keychain', storeKey(cfApi));
    w.cacheToken(cfApi, account, 'r1', 'write');
    w.cacheToken(cfApi, account, 'r0', 'read', { id: undefined, expiresIn: -5 });
    const r = await w.run(['status', '--json']);
    expect(r.code).toBe(0);
    const at = Math.floor(nowMs / 1000);
    expect(JSON.parse(r.stdout)).toEqual({
      endpoints: [
        {
          api_url: cfApi,
          account,
          source: 'keychain',
          rule: 'cloudflare',
          rule_says: `${cfApi} is Cloudflare's API: CLOUDFLARE_API_TOKEN, a login for it, or wrangler`,
          login: { account: null, store: 'keychain' },
          tokens: [
            { namespace: 'default', repo: 'r0', scope: 'read', id: null, expires_at: new Date((at - 5) * 1000).toISOString(), seconds_left: 0, origin: `https://${account}.artifacts.cloudflare.net` },
            { namespace: 'default', repo: 'r1', scope: 'write', id: 'id-r1-write', expires_at: new Date((at + 3600) * 1000).toISOString(), seconds_left: 3600, origin: `https://${account}.artifacts.cloudflare.net` },
          ],
        },
      ],
    });
    expect(r.stdout + r.stderr).not.toMatch(/SECRET|art_v1|cfut_/);
  });

  it.each([
    { name: 'the environment wins', env: { CLOUDFLARE_API_TOKEN: apiToken }, login: false, want: /API token for minting: CLOUDFLARE_API_TOKEN\n/ },
    { name: 'a file login names its path', env: {}, login: true, want: /API token for minting: file .*api-tokens\.json\n/ },
    { name: 'nothing', env: {}, login: false, want: /API token for minting: none\n {4}\(.*Cloudflare's API.*\)\n  cached repo tokens: none\n$/ },
  ])('text: $name', async (row) => {
    Object.assign(w.env, row.env);
    if (row.login) await w.login('file', storeKey(cfApi));
    const r = await w.run(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${cfApi.replace(/[./]/g, '\\$&')}\\n`));
    expect(r.stdout).toMatch(row.want);
    expect(r.stdout + r.stderr).not.toContain(apiToken);
  });

  it('every configured endpoint, each with its own source', async () => {
    w.config.set('artifacts.apiUrl', [cfApi, emuApi, 'not a url']);
    w.config.set('artifacts.account', [account, 'acct_1', 'x']);
    await w.login('file', storeKey(emuApi, 'acct_1'));
    const r = await w.run(['status', '--json']);
    const eps = (JSON.parse(r.stdout) as { endpoints: Array<{ api_url: string; account: string; source: string }> }).endpoints;
    expect(eps.map((e) => [e.api_url, e.account, e.source.split(' ')[0]])).toEqual([
      [cfApi, account, 'none'],
      [emuApi, 'acct_1', 'file'],
    ]);
  });

  it('text lists tokens with seconds left', async () => {
    w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    const r = await w.run(['status']);
    expect(r.stdout).toContain('http://127.0.0.1:9/client/v4 (account acct_1)\n');
    expect(r.stdout).toMatch(/ {4}default\/r1 {2}read {2}id-r1-read {2}expires \S+Z \(3600 s left\)\n/);
  });
});

describe('deadlines on the injected clock (issue 22)', () => {
  // Deps.now is ~40 days off the machine's: a deadline set on Date.now would be far off it.
  it.each([
    { name: 'login verifies', argv: ['login', '--with-token'], calls: 1 },
    { name: 'login verifies with an account', argv: ['login', '--with-token', '--account', account], calls: 2 },
    { name: 'revoke', argv: ['revoke', '--all'], calls: 1 },
    { name: 'logout', argv: ['logout', '--api-url', emuApi], calls: 1 },
  ])('$name: every call has 10 s on the clock it is handed', async ({ argv, calls }) => {
    w.env.ARTIFACTS_API_TOKEN = apiToken;
    if (argv[0] === 'logout') await w.login('file', storeKey(emuApi));
    if (argv[0] !== 'login') w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    const r = await w.run(argv, argv[0] === 'login' ? apiToken : '');
    expect(r.code, r.stderr).toBe(0);
    expect(w.timeLeft).toEqual(Array(calls).fill(10_000));
  });
});

describe('revoke', () => {
  const rows: Array<{ name: string; argv: string[]; fail?: boolean; wantCode: number; wantStdout: string | RegExp; wantStderr: string | RegExp; wantDeleted: string[]; wantLeft: string[] }> = [
    { name: 'one repo, both scopes', argv: ['revoke', 'default/r1'], wantCode: 0, wantStdout: /revoked default\/r1 read[\s\S]*revoked default\/r1 write|revoked default\/r1 write[\s\S]*revoked default\/r1 read/, wantStderr: '', wantDeleted: ['id-r1-read', 'id-r1-write'], wantLeft: ['r2 read'] },
    { name: 'one repo, one scope, .git allowed', argv: ['revoke', 'default/r1.git', '--scope', 'write'], wantCode: 0, wantStdout: 'revoked default/r1 write token id-r1-write\n', wantStderr: '', wantDeleted: ['id-r1-write'], wantLeft: ['r1 read', 'r2 read'] },
    { name: '--all', argv: ['revoke', '--all'], wantCode: 0, wantStdout: /revoked/, wantStderr: '', wantDeleted: ['id-r1-read', 'id-r1-write', 'id-r2-read'], wantLeft: [] },
    { name: 'nothing cached for it', argv: ['revoke', 'default/nope'], wantCode: 0, wantStdout: 'no cached tokens for default/nope; nothing to revoke\n', wantStderr: '', wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'neither repo nor --all', argv: ['revoke'], wantCode: 2, wantStdout: '', wantStderr: /name a repo \(<namespace>\/<repo>\) or pass --all\n.*hint:/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'both', argv: ['revoke', 'default/r1', '--all'], wantCode: 2, wantStdout: '', wantStderr: /not both/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'a bad scope', argv: ['revoke', 'default/r1', '--scope', 'admin'], wantCode: 2, wantStdout: '', wantStderr: /Allowed choices are read, write/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'not the shape', argv: ['revoke', 'default'], wantCode: 2, wantStdout: '', wantStderr: /"default" is not <namespace>\/<repo>\n.*hint: e\.g\. default\/my-repo/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'a bad name', argv: ['revoke', '../x'], wantCode: 2, wantStdout: '', wantStderr: /invalid namespace "\.\.": a namespace is 2 to 63/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'a non-ASCII name says which rule', argv: ['revoke', '名前/répo'], wantCode: 2, wantStdout: '', wantStderr: /^git-credential-artifacts: invalid namespace "名前": a namespace is 2 to 63 ASCII letters.*\ngit-credential-artifacts: hint: name the repo as `git remote -v` shows it/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'an over-long repo name is cut and says its length', argv: ['revoke', `default/${'x'.repeat(300)}`], wantCode: 2, wantStdout: '', wantStderr: /invalid repo name "x{64}…" \(300 characters\): a repo name is 1 to 255/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
    { name: 'the server cannot be told: kept, to try again', argv: ['revoke', 'default/r2'], fail: true, wantCode: 1, wantStdout: '', wantStderr: /could not revoke default\/r2 read token id-r2-read: .*\n.*hint: the tokens that could not be revoked are still cached/, wantDeleted: [], wantLeft: ['r1 read', 'r1 write', 'r2 read'] },
  ];
  it.each(rows)('$name', async (row) => {
    // A loopback API: its token comes from ARTIFACTS_API_TOKEN (auth/credential-origin.ts).
    w.env.ARTIFACTS_API_TOKEN = apiToken;
    w.cacheToken(emuApi, 'acct_1', 'r1', 'read');
    w.cacheToken(emuApi, 'acct_1', 'r1', 'write');
    w.cacheToken(emuApi, 'acct_1', 'r2', 'read');
    if (row.fail) w.answer = fails('api.unavailable', 'cannot reach 127.0.0.1:9 (ECONNREFUSED)', () => true);
    const r = await w.run(row.argv);
    expect(r.code).toBe(row.wantCode);
    if (typeof row.wantStdout === 'string') expect(r.stdout).toBe(row.wantStdout);
    else expect(r.stdout).toMatch(row.wantStdout);
    if (typeof row.wantStderr === 'string') expect(r.stderr).toBe(row.wantStderr);
    else expect(r.stderr).toMatch(row.wantStderr);
    const deleted = w.calls.filter((c) => c.method === 'DELETE').map((c) => c.path.split('/').pop()!);
    expect(row.fail ? [] : deleted.sort()).toEqual(row.wantDeleted);
    expect(w.cache.list().map((e) => `${e.key.repo} ${e.key.scope}`).sort()).toEqual(row.wantLeft);
    expect(r.stdout + r.stderr).not.toMatch(/SECRET|cfut_/);
  });
});
