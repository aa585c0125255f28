// The API-token chain and its description for status/doctor, with real index and file-store
// files in a throw-away config dir and a keychain that is a FileStore under another name (the
// keychain itself has its own contract suite: test/unit/store/).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFor, describeApiTokenSource, findToken } from '../../../src/auth/api-token.js';
import { storedSourceWith, type ApiTokenSource } from '../../../src/auth/sources.js';
import { FileStore } from '../../../src/store/file-store.js';
import { recordLogin, type Stores } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';

const api = 'https://api.cloudflare.com/client/v4';
const account = '0123456789abcdef0123456789abcdef';
let home: string;
let env: NodeJS.ProcessEnv;
let stores: Stores;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'api-token-'));
  // LOCALAPPDATA: the same config dir on Windows (paths.ts configDir).
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), LOCALAPPDATA: path.join(home, 'config'), PATH: path.join(home, 'bin'), SystemRoot: process.env.SystemRoot };
  const keychain = Object.assign(new FileStore(path.join(home, 'fake-keychain', 'k.json')), { kind: 'keychain' as const, label: 'keychain' });
  stores = { keychain, file: new FileStore(path.join(home, 'config', 'git-credential-artifacts', 'api-tokens.json')) };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const fileLabel = () => `file ${path.join(home, 'config', 'git-credential-artifacts', 'api-tokens.json')}`;

async function login(kind: 'keychain' | 'file', token: string, acct?: string): Promise<void> {
  const key = storeKey(api, acct);
  await stores[kind].set(key, token);
  recordLogin(env, key, kind);
}

function installWrangler(): void {
  mkdirSync(path.join(home, 'bin'));
  // Windows: npm installs wrangler as a .cmd shim, found through PATHEXT (src/batch-file.ts).
  if (process.platform === 'win32') return writeFileSync(path.join(home, 'bin', 'wrangler.cmd'), '@exit /b 1\r\n');
  writeFileSync(path.join(home, 'bin', 'wrangler'), '#!/bin/sh\nexit 1\n');
  chmodSync(path.join(home, 'bin', 'wrangler'), 0o755);
}

describe("Cloudflare's API: CLOUDFLARE_API_TOKEN > (API URL, account) > API URL > wrangler", () => {
  const wranglerFake = (token: string | undefined): ApiTokenSource => ({
    name: 'wrangler',
    get: async () => (token ? { token, source: 'wrangler' } : undefined),
    peek: async () => undefined,
  });
  const chain = (w: string | undefined, e: NodeJS.ProcessEnv = env) => chainFor({ apiUrl: api, account }, e, { stored: storedSourceWith(() => stores), wrangler: wranglerFake(w) });
  const resolve = async (e: NodeJS.ProcessEnv, w: string | undefined, target: { apiUrl: string; account?: string } = { apiUrl: api, account }, trace?: (event: string, d?: Record<string, unknown>) => void) =>
    (await findToken(chain(w, e), e, Date.now() + 5_000, target, trace)).token;

  it.each([
    { name: 'the environment wins over everything', env: { CLOUDFLARE_API_TOKEN: 'env-tok' }, logins: [['keychain', 'acct-tok', account]], wrangler: 'w', want: 'env-tok', source: 'CLOUDFLARE_API_TOKEN' },
    { name: 'the account login wins over the API-URL login', env: {}, logins: [['file', 'all-tok'], ['keychain', 'acct-tok', account]], wrangler: 'w', want: 'acct-tok', source: 'keychain' },
    { name: 'the API-URL login serves any account', env: {}, logins: [['file', 'all-tok']], wrangler: 'w', want: 'all-tok', source: 'file' },
    { name: 'a login for another account is not used', env: {}, logins: [['keychain', 'other', 'ffffffffffffffffffffffffffffffff']], wrangler: 'w', want: 'w', source: 'wrangler' },
    { name: 'no login: wrangler', env: {}, logins: [], wrangler: 'w', want: 'w', source: 'wrangler' },
  ] as const)('$name', async (row) => {
    for (const [kind, token, acct] of row.logins) await login(kind, token, acct);
    const lines: string[] = [];
    const trace = (event: string, d?: Record<string, unknown>) => lines.push(`${event} ${JSON.stringify(d)}`);
    const got = await resolve({ ...env, ...row.env }, row.wrangler, { apiUrl: api, account }, trace);
    expect(got).toBe(row.want);
    const used = lines.find((l) => l.includes('"found":true'))!;
    expect(used).toContain(row.source === 'file' ? JSON.stringify(fileLabel()) : `"${row.source}"`);
    expect(used).toContain('"rule":"cloudflare"');
    // The trace names sources, never a token.
    for (const t of ['env-tok', 'acct-tok', 'all-tok', 'other']) expect(lines.join('\n')).not.toContain(t);
  });

  it('an indexed login whose entry is gone says so and names login', async () => {
    recordLogin(env, storeKey(api), 'keychain');
    await expect(resolve(env, undefined)).rejects.toMatchObject({
      code: 'auth.missing',
      message: expect.stringMatching(/gone from the OS keychain/),
      hint: expect.stringMatching(/login/),
    });
  });

  it('nothing anywhere: the hint names login first', async () => {
    await expect(resolve(env, undefined, { apiUrl: api })).rejects.toMatchObject({ hint: expect.stringMatching(/^sign in once with `git-credential-artifacts login`/) });
  });
});

describe('describeApiTokenSource (status, doctor): by name, never reading a token', () => {
  it('CLOUDFLARE_API_TOKEN', async () => {
    expect((await describeApiTokenSource({ ...env, CLOUDFLARE_API_TOKEN: 'x' }, { apiUrl: api })).source).toBe('CLOUDFLARE_API_TOKEN');
  });
  it('keychain, for the account or the whole API URL', async () => {
    recordLogin(env, storeKey(api, account), 'keychain');
    expect(await describeApiTokenSource(env, { apiUrl: api, account })).toMatchObject({ source: 'keychain', login: { apiUrl: api, account, store: 'keychain' }, rule: 'cloudflare' });
    expect((await describeApiTokenSource(env, { apiUrl: api })).source).toBe('none');
  });
  it('file <path>', async () => {
    recordLogin(env, storeKey(api), 'file');
    expect((await describeApiTokenSource(env, { apiUrl: api, account })).source).toBe(fileLabel());
  });
  it('wrangler (installed) without running it; run when asked: not logged in', async () => {
    installWrangler();
    expect((await describeApiTokenSource(env, { apiUrl: api })).source).toBe('wrangler (installed)');
    expect((await describeApiTokenSource(env, { apiUrl: api }, { askWrangler: true })).source).toBe('wrangler (installed, not logged in)');
  });
  it('a namespace-scoped API: ARTIFACTS_JWT or its login, never CLOUDFLARE_API_TOKEN or wrangler', async () => {
    const gw = 'https://artifacts.cloudflare.net/v1/api';
    installWrangler();
    expect((await describeApiTokenSource({ ...env, CLOUDFLARE_API_TOKEN: 'x' }, { apiUrl: gw })).source).toBe('none');
    expect((await describeApiTokenSource({ ...env, ARTIFACTS_JWT: 'x' }, { apiUrl: gw })).source).toBe('ARTIFACTS_JWT');
    recordLogin(env, storeKey(gw), 'keychain');
    expect((await describeApiTokenSource(env, { apiUrl: gw })).source).toBe('keychain');
  });
  it('none', async () => {
    expect((await describeApiTokenSource(env, { apiUrl: api })).source).toBe('none');
  });
});
