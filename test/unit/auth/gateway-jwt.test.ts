// The gateway-JWT chain of a namespace-scoped API (ARTIFACTS_JWT > the login stored for that API
// URL), and the choice of chain by shape: a Cloudflare credential never serves a namespace-scoped
// API, a JWT never an account-scoped one. Real index and file-store files in a throw-away dir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFor, controlPlaneToken, findToken } from '../../../src/auth/api-token.js';
import { storedSourceWith } from '../../../src/auth/sources.js';
import { forgetSecrets, redact } from '../../../src/redact.js';
import { FileStore } from '../../../src/store/file-store.js';
import { recordLogin, type Stores } from '../../../src/store/logins.js';
import { storeKey } from '../../../src/store/token-store.js';

const gateway = 'https://artifacts.cloudflare.net/v1/api';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXZhbHVl';
let home: string;
let env: NodeJS.ProcessEnv;
let stores: Stores;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gateway-jwt-'));
  // No wrangler on PATH, nothing stored: only what a row adds.
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), PATH: path.join(home, 'bin') };
  const keychain = Object.assign(new FileStore(path.join(home, 'fake-keychain', 'k.json')), { kind: 'keychain' as const, label: 'keychain' });
  stores = { keychain, file: new FileStore(path.join(home, 'config', 'git-credential-artifacts', 'api-tokens.json')) };
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  forgetSecrets();
});

async function resolveGatewayJwt(e: NodeJS.ProcessEnv, apiUrl: string): Promise<string> {
  const target = { apiUrl };
  return (await findToken(chainFor(target, e, { stored: storedSourceWith(() => stores) }), e, Date.now() + 5_000, target)).token;
}

async function login(apiUrl: string, token: string): Promise<void> {
  await stores.keychain.set(storeKey(apiUrl), token);
  recordLogin(env, storeKey(apiUrl), 'keychain');
}

describe('resolveGatewayJwt: ARTIFACTS_JWT > the login for the API URL', () => {
  it.each([
    { name: 'the environment', env: { ARTIFACTS_JWT: ` ${jwt}\n` }, stored: [], want: jwt },
    { name: 'the environment over a stored login', env: { ARTIFACTS_JWT: jwt }, stored: [[gateway, 'eyJstored.x.y']], want: jwt },
    { name: 'the stored login for this API URL', env: {}, stored: [[gateway, 'eyJstored.x.y']], want: 'eyJstored.x.y' },
    { name: 'never CLOUDFLARE_API_TOKEN', env: { CLOUDFLARE_API_TOKEN: 'cf-token-123' }, stored: [], want: 'auth.missing' },
    { name: 'never a login for another API URL', env: {}, stored: [['https://other.example.com/v1/api', 'eyJother.x.y']], want: 'auth.missing' },
    { name: 'never the account-scoped API login', env: {}, stored: [['https://api.cloudflare.com/client/v4', 'cf-login-tok']], want: 'auth.missing' },
    { name: 'a JWT with a space in it', env: { ARTIFACTS_JWT: 'eyJa b.c.d' }, stored: [], want: 'auth.missing' },
  ] as const)('$name', async (row) => {
    for (const [apiUrl, token] of row.stored) await login(apiUrl, token);
    const got = resolveGatewayJwt({ ...env, ...row.env }, gateway);
    if (row.want === 'auth.missing') await expect(got).rejects.toMatchObject({ code: 'auth.missing' });
    else expect(await got).toBe(row.want);
  });

  it('nothing: says to set ARTIFACTS_JWT or log in to that API URL, and that Cloudflare tokens are not used', async () => {
    await expect(resolveGatewayJwt(env, gateway)).rejects.toMatchObject({
      message: `no gateway JWT for the namespace-scoped API ${gateway}`,
      hint: 'set ARTIFACTS_JWT to the gateway JWT of that deployment, or keep it once with `git-credential-artifacts login --api-url https://artifacts.cloudflare.net/v1/api` (Cloudflare API tokens and wrangler logins are not used for it)',
    });
  });

  it('remembers what it found, so no message shows it', async () => {
    await resolveGatewayJwt({ ...env, ARTIFACTS_JWT: 'opaque-gateway-token-1' }, gateway);
    expect(redact('got opaque-gateway-token-1 back')).toBe('got <redacted> back');
  });
});

describe('controlPlaneToken: the chain by shape', () => {
  const both = { ARTIFACTS_JWT: jwt, CLOUDFLARE_API_TOKEN: 'cf-token-123' };
  it('namespace-scoped: the JWT, even with CLOUDFLARE_API_TOKEN set', async () => {
    expect(await controlPlaneToken({ shape: 'namespace', apiUrl: gateway }, { ...env, ...both }, Date.now() + 5_000)).toBe(jwt);
  });
  it('account-scoped: the API token, even with ARTIFACTS_JWT set', async () => {
    expect(await controlPlaneToken({ shape: 'account', apiUrl: 'https://api.cloudflare.com/client/v4', account: 'a' }, { ...env, ...both }, Date.now() + 5_000)).toBe('cf-token-123');
  });
  it('account-scoped with only ARTIFACTS_JWT: nothing to send', async () => {
    await expect(controlPlaneToken({ shape: 'account', apiUrl: 'https://api.cloudflare.com/client/v4', account: 'a' }, { ...env, ARTIFACTS_JWT: jwt }, Date.now() + 5_000)).rejects.toMatchObject({ code: 'auth.missing' });
  });
  it('namespace-scoped with only CLOUDFLARE_API_TOKEN: nothing to send', async () => {
    await expect(controlPlaneToken({ shape: 'namespace', apiUrl: gateway }, { ...env, CLOUDFLARE_API_TOKEN: 'cf-token-123' }, Date.now() + 5_000)).rejects.toMatchObject({ code: 'auth.missing' });
  });
});
