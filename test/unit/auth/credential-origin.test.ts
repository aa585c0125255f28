// Which credentials may go where (issue 21, H1): a Cloudflare credential only to Cloudflare's
// API or the environment's own CLOUDFLARE_API_BASE_URL; every other API only ARTIFACTS_API_TOKEN
// or a login for exactly its URL. The rule as a table, then the chain it gives, with a wrangler
// that would hand out a token to anyone who asked.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFor, describeApiTokenSource, findToken } from '../../../src/auth/api-token.js';
import { credentialRule } from '../../../src/auth/credential-origin.js';
import { storedSourceWith, type ApiTokenSource } from '../../../src/auth/sources.js';
import { FileStore } from '../../../src/store/file-store.js';
import { recordLogin, type Stores } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';

const cloudflare = 'https://api.cloudflare.com/client/v4';
const emulator = 'http://127.0.0.1:8787/client/v4';

describe('credentialRule', () => {
  it.each([
    [cloudflare, {}, 'cloudflare'],
    [emulator, {}, 'other'],
    ['http://localhost:9000/client/v4', {}, 'other'],
    ['https://api.cloudflare.com/client/v4/x', {}, 'other'],
    ['https://api.cloudflare.com.evil.example/client/v4', {}, 'other'],
    ['https://proxy.example.com/client/v4', { CLOUDFLARE_API_BASE_URL: 'https://proxy.example.com/client/v4/' }, 'env-base'],
    ['https://proxy.example.com/client/v4', { CLOUDFLARE_API_BASE_URL: 'https://proxy.example.com/other' }, 'other'],
    [emulator, { CLOUDFLARE_API_BASE_URL: 'not a url' }, 'other'],
    [emulator, { CLOUDFLARE_API_BASE_URL: '' }, 'other'],
    ['https://artifacts.cloudflare.net/v1/api', { CLOUDFLARE_API_BASE_URL: 'https://artifacts.cloudflare.net/v1/api' }, 'gateway'],
  ] as const)('%s with %j -> %s', (apiUrl, env, want) => {
    const choice = credentialRule(apiUrl, env);
    expect(choice.rule).toBe(want);
    expect(choice.because).toContain(apiUrl);
  });

  it('property: without CLOUDFLARE_API_BASE_URL, only the exact Cloudflare URL gets the Cloudflare rule', () => {
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        const rule = credentialRule(url, {}).rule;
        expect(rule === 'cloudflare').toBe(url === cloudflare);
      }),
    );
  });
});

describe('the chain an API URL gets', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let stores: Stores;
  let wranglerAsked: number;
  const wrangler: ApiTokenSource = {
    name: 'wrangler',
    get: async () => (wranglerAsked++, { token: 'wrangler-oauth-token', source: 'wrangler' }),
    peek: async () => ({ source: 'wrangler' }),
  };
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'origin-'));
    env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), PATH: path.join(home, 'bin') };
    stores = { keychain: Object.assign(new FileStore(path.join(home, 'k.json')), { kind: 'keychain' as const, label: 'keychain' }), file: new FileStore(path.join(home, 'f.json')) };
    wranglerAsked = 0;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const find = (apiUrl: string, e: NodeJS.ProcessEnv) => findToken(chainFor({ apiUrl }, e, { stored: storedSourceWith(() => stores), wrangler }), e, Date.now() + 5_000, { apiUrl });

  it('a loopback API with only CLOUDFLARE_API_TOKEN and wrangler: nothing is sent, and the error names login and ARTIFACTS_API_TOKEN', async () => {
    await expect(find(emulator, { ...env, CLOUDFLARE_API_TOKEN: 'cf-secret' })).rejects.toMatchObject({
      code: 'auth.missing',
      message: `no API token for ${emulator}, which is not Cloudflare's API (CLOUDFLARE_API_TOKEN is set, but a Cloudflare credential goes to Cloudflare's API only)`,
      hint: expect.stringMatching(/login --api-url http:\/\/127\.0\.0\.1:8787\/client\/v4.*ARTIFACTS_API_TOKEN/),
    });
    expect(wranglerAsked).toBe(0);
  });
  it('ARTIFACTS_API_TOKEN serves it; CLOUDFLARE_API_TOKEN is never chosen over it', async () => {
    expect(await find(emulator, { ...env, CLOUDFLARE_API_TOKEN: 'cf-secret', ARTIFACTS_API_TOKEN: 'emu-token' })).toEqual({ token: 'emu-token', source: 'ARTIFACTS_API_TOKEN' });
  });
  it('a login for exactly that URL serves it; a login for Cloudflare does not', async () => {
    await stores.keychain.set(storeKey(cloudflare), 'cf-login');
    recordLogin(env, storeKey(cloudflare), 'keychain');
    await expect(find(emulator, env)).rejects.toMatchObject({ code: 'auth.missing' });
    await stores.keychain.set(storeKey(emulator), 'emu-login');
    recordLogin(env, storeKey(emulator), 'keychain');
    expect(await find(emulator, env)).toEqual({ token: 'emu-login', source: 'keychain' });
  });
  it("Cloudflare's API never takes ARTIFACTS_API_TOKEN; it takes CLOUDFLARE_API_TOKEN, then wrangler", async () => {
    await expect(find(cloudflare, { ...env, ARTIFACTS_API_TOKEN: 'emu-token' })).resolves.toEqual({ token: 'wrangler-oauth-token', source: 'wrangler' });
    expect(await find(cloudflare, { ...env, CLOUDFLARE_API_TOKEN: 'cf-secret' })).toEqual({ token: 'cf-secret', source: 'CLOUDFLARE_API_TOKEN' });
  });
  it("the environment's own CLOUDFLARE_API_BASE_URL gets the Cloudflare chain", async () => {
    const base = 'https://staging.example.com/client/v4';
    expect(await find(base, { ...env, CLOUDFLARE_API_BASE_URL: base, CLOUDFLARE_API_TOKEN: 'cf-secret' })).toEqual({ token: 'cf-secret', source: 'CLOUDFLARE_API_TOKEN' });
    await expect(find(base, { ...env, CLOUDFLARE_API_TOKEN: 'cf-secret' })).rejects.toMatchObject({ code: 'auth.missing' });
  });
  it('status and doctor say the rule that chose the source', async () => {
    expect(await describeApiTokenSource({ ...env, CLOUDFLARE_API_TOKEN: 'x' }, { apiUrl: emulator })).toMatchObject({ source: 'none', rule: 'other' });
    expect(await describeApiTokenSource({ ...env, ARTIFACTS_API_TOKEN: 'x' }, { apiUrl: emulator })).toMatchObject({ source: 'ARTIFACTS_API_TOKEN', rule: 'other', because: expect.stringContaining('not Cloudflare') });
  });
});
