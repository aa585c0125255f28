// Sign in once, end to end: the built helper, real git, the emulator, and a real Secret Service
// (gnome-keyring on a private D-Bus session, test/support/secret-service.ts). No
// CLOUDFLARE_API_TOKEN and no wrangler anywhere: the login is the only API token there is.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredHome, mints, settledLog } from '../../support/artifacts-home.js';
import { startEmulator, type Emulator, type RestLogEntry } from '../../support/emulator.js';
import { credentialBundle, makeGitHome, repoRoot, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest, type GitUnderTest } from '../../support/gits.js';
import { secretServiceMissing, skipWithoutSecretService, startBus, startSecretService, type SecretService } from '../../support/secret-service.js';

const [git] = gitsUnderTest();
let emu: Emulator;
let service: SecretService;

// Each started thing is assigned as soon as it runs, so afterAll stops it even when the other
// failed to start (with Promise.all, a Secret Service that threw left the emulator running past
// the whole run). Without a Secret Service here, the tests that need one are skipped (one note).
beforeAll(async () => {
  const started = startEmulator().then((e) => (emu = e));
  try {
    if (!secretServiceMissing()) service = await startSecretService();
  } finally {
    await started;
  }
}, 60_000);
afterAll(async () => {
  service?.stop();
  await emu?.stop();
});

const cli = (home: GitHome, args: string[], input = '', env: NodeJS.ProcessEnv = {}) => home.run(process.execPath, [credentialBundle, ...args], { input, env });
const configDir = (home: GitHome) => path.join(home.dir, '.config', 'git-credential-artifacts');
const revokes = (log: Awaited<ReturnType<Emulator['log']>>) => log.filter((e): e is RestLogEntry => e.kind === 'rest' && e.route === 'revoke');

/** A repository with one commit, to push from. */
async function emptyRepo(home: GitHome): Promise<string> {
  const dir = path.join(home.dir, `repo-${Math.random().toString(36).slice(2)}`);
  const r = await home.run('sh', ['-c', `git init -q "${dir}" && cd "${dir}" && echo x > f && git add f && git commit -qm one`]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

/** A configured home with no API token in its environment and no wrangler on its PATH. */
async function signedOutHome(env: NodeJS.ProcessEnv = {}, g: GitUnderTest = git!): Promise<GitHome> {
  const home = await configuredHome(g, emu, { ARTIFACTS_API_TOKEN: '', ...env });
  const path = home.env.PATH!.split(':').filter((d) => !existsSync(`${d}/wrangler`)).join(':');
  home.env.PATH = path;
  return home;
}

describe.each(gitsUnderTest().map((g, i) => ({ g, i, label: g.label })))('sign in once with $label', ({ g, i }) => {
  it('login --with-token into the keychain; then clone and push; status; logout revokes; the next git fails fast naming login', async (ctx) => {
    skipWithoutSecretService(ctx);
    const repo = `signed-in-${i}`;
    const { remote } = await emu.createRepo('default', repo);
    const home = await signedOutHome(service.env, g);
    try {
      const login = await cli(home, ['login', '--with-token'], `${emu.apiToken}\n`);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toBe(`Logged in to ${emu.apiUrl} for account ${emu.account} (API token ${login.stdout.match(/API token (\w+)\)/)![1]}); the token is kept in the OS keychain.\n`);
      expect(login.stderr).toBe('');
      // In the keychain and in no file: the config dir holds only the index, without the token.
      expect(readdirSync(configDir(home))).toEqual(['logins.json']);
      expect(readFileSync(path.join(configDir(home), 'logins.json'), 'utf8')).not.toContain(emu.apiToken);

      const clone = await home.git(['clone', remote, 'work']);
      expect(clone.code, clone.stderr).toBe(0);
      const work = path.join(home.dir, 'work');
      await home.run('sh', ['-c', 'echo hi > a.txt && git add a.txt && git commit -qm one'], { cwd: work });
      const push = await home.git(['push', 'origin', 'HEAD:main'], { cwd: work });
      expect(push.code, push.stderr).toBe(0);
      // The remote helper finds the login too (artifacts:// is resolved with the API token).
      const resolved = await home.git(['ls-remote', `artifacts://default/${repo}`]);
      expect(resolved.code, resolved.stderr).toBe(0);
      const minted = mints(await settledLog(emu)).filter((m) => m.repo === repo);
      expect(minted.map((m) => m.scope).sort()).toEqual(['read', 'write']);

      const status = await cli(home, ['status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const report = JSON.parse(status.stdout) as { endpoints: Array<{ source: string; tokens: Array<{ id: string; namespace: string; repo: string; scope: string; expires_at: string; seconds_left: number }> }> };
      const ep = report.endpoints.find((e) => e.tokens.length > 0)!;
      expect(ep.source).toBe('keychain');
      expect(ep.tokens.map((t) => t.id).sort()).toEqual(minted.map((m) => m.tokenId).sort());
      for (const t of ep.tokens) {
        expect(t).toMatchObject({ namespace: 'default', repo });
        expect(t.seconds_left).toBeGreaterThan(0);
        expect(Date.parse(t.expires_at)).toBeGreaterThan(Date.now());
      }
      const text = await cli(home, ['status']);
      // Never a secret: not the API token, not a repo token.
      for (const out of [status.stdout, status.stderr, text.stdout, text.stderr]) {
        expect(out).not.toContain(emu.apiToken);
        expect(out).not.toMatch(/art_v\d_/);
      }

      await emu.clearLog();
      const logout = await cli(home, ['logout']);
      expect(logout.code, logout.stderr).toBe(0);
      expect(logout.stdout).toMatch(/the API token was removed from the OS keychain/);
      const deleted = revokes(await settledLog(emu));
      expect(deleted.map((d) => d.status)).toEqual([200, 200]);
      expect(readdirSync(configDir(home))).toEqual([]);

      const fetch = await home.git(['fetch'], { cwd: work });
      expect(fetch.code).not.toBe(0);
      expect(fetch.stderr).toMatch(/no API token for http:\S+, which is not Cloudflare's API\n.*hint: sign in for it once with `git-credential-artifacts login --api-url /);
      expect(fetch.stderr).toMatch(/told us to quit/); // fails fast: no prompt, no other helper
    } finally {
      home.cleanup();
    }
  });
});

describe(`login with ${git!.label}`, () => {

  it('logout: a revoke answered 404 right after the mint is retried once; one the API keeps refusing is reported and local state is cleared anyway', async () => {
    const { remote: r1 } = await emu.createRepo('default', 'revoke-retry-1');
    const { remote: r2 } = await emu.createRepo('default', 'revoke-retry-2');
    const home = await signedOutHome({ DBUS_SESSION_BUS_ADDRESS: '' });
    try {
      expect((await cli(home, ['login', '--with-token'], emu.apiToken)).code).toBe(0);
      expect((await home.git(['ls-remote', r1])).code).toBe(0);
      expect((await home.git(['ls-remote', r2])).code).toBe(0);
      await emu.clearLog();
      // Three answers in a row: 404 (retried: then 200), then 403 twice (retried once, reported).
      await emu.faults({ routes: [{ route: 'revoke', status: 404 }] });
      const first = await cli(home, ['revoke', 'default/revoke-retry-1']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^revoked default\/revoke-retry-1 read token \w+\n$/);
      expect(revokes(await settledLog(emu)).map((d) => d.status)).toEqual([404, 200]);
      await emu.clearLog();
      await emu.faults({ routes: [{ route: 'revoke', status: 403, count: 2 }] });
      const out = await cli(home, ['logout']);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/could not revoke default\/revoke-retry-2 read token \w+: the Cloudflare API refused to revoke token/);
      expect(out.stderr).toMatch(/hint: the local state is cleared/);
      expect(revokes(await settledLog(emu)).map((d) => d.status)).toEqual([403, 403]);
      expect(readdirSync(configDir(home))).toEqual([]);
      expect(JSON.parse((await cli(home, ['status', '--json'])).stdout).endpoints.flatMap((e: { tokens: unknown[] }) => e.tokens)).toEqual([]);
    } finally {
      await emu.clearFaults();
      home.cleanup();
    }
  });

  it('no D-Bus session (a server, a container): login keeps the token in a 0600 file and says so; git works', async () => {
    const { remote } = await emu.createRepo('default', 'file-login');
    const home = await signedOutHome({ DBUS_SESSION_BUS_ADDRESS: '' });
    try {
      const login = await cli(home, ['login', '--with-token'], emu.apiToken);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toMatch(/no OS keychain here \(no D-Bus session.*\); keeping the token in a private file instead/);
      const file = path.join(configDir(home), 'api-tokens.json');
      expect(login.stdout).toContain(`the token is kept in ${file} (readable only by you)`);
      const st = (await import('node:fs')).statSync(file);
      expect(st.mode & 0o777).toBe(0o600);
      const r = await home.git(['ls-remote', remote]);
      expect(r.code, r.stderr).toBe(0);
      expect((await cli(home, ['status'])).stdout).toContain(`API token for minting: file ${file}`);
    } finally {
      home.cleanup();
    }
  });

  it('a hung keychain: login gives up on it at its bound and falls back to the file', async (ctx) => {
    skipWithoutSecretService(ctx);
    const bus = startBus();
    process.kill(bus.pid, 'SIGSTOP');
    const home = await signedOutHome({ DBUS_SESSION_BUS_ADDRESS: bus.address });
    try {
      const login = await cli(home, ['login', '--with-token'], emu.apiToken);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toBe(
        'git-credential-artifacts: the OS keychain is not usable: it did not answer within 3 s (locked, waiting for a prompt, or its D-Bus session is stuck); keeping the token in a private file instead\n',
      );
      expect(existsSync(path.join(configDir(home), 'api-tokens.json'))).toBe(true);
    } finally {
      bus.stop();
      home.cleanup();
    }
  });

  it('a keychain that hangs after login: a cached get never asks it; a mint fails within its bound, saying why, and git is told to quit', async (ctx) => {
    skipWithoutSecretService(ctx);
    const { remote } = await emu.createRepo('default', 'hung-later');
    const bus = startBus();
    // Signed in while a Secret Service answered; a read token minted and cached; then the
    // session bus hangs.
    const home = await signedOutHome(service.env);
    try {
      const login = await cli(home, ['login', '--with-token'], emu.apiToken);
      expect(login.code, login.stderr).toBe(0);
      expect((await home.git(['ls-remote', remote])).code).toBe(0);
      process.kill(bus.pid, 'SIGSTOP');
      const hung = { env: { DBUS_SESSION_BUS_ADDRESS: bus.address } };
      const cached = await home.git(['ls-remote', remote], hung);
      expect(cached.code, cached.stderr).toBe(0);
      const r = await home.git(['push', remote, 'HEAD:main'], { ...hung, cwd: await emptyRepo(home) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/the OS keychain is not usable: it did not answer within 3 s/);
      await cli(home, ['logout']);
    } finally {
      bus.stop();
      home.cleanup();
    }
  });

  it('a namespace-scoped endpoint: login keeps its gateway JWT, and git works with no ARTIFACTS_JWT', async (ctx) => {
    skipWithoutSecretService(ctx);
    await emu.createRepo('default', 'gateway-login');
    const home = makeGitHome(git!, { ARTIFACTS_API_TOKEN: '', ARTIFACTS_JWT: '', ...service.env });
    try {
      const conf = await cli(home, ['configure', '--git-url', emu.url, '--api-url', emu.gatewayUrl]);
      expect(conf.code, conf.stderr).toBe(0);
      const refused = await cli(home, ['login', '--with-token', '--api-url', emu.gatewayUrl], emu.apiToken);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/does not accept this gateway JWT/);
      const login = await cli(home, ['login', '--with-token', '--api-url', emu.gatewayUrl], emu.jwt);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toBe(`Logged in to ${emu.gatewayUrl} (gateway JWT); the JWT is kept in the OS keychain.\n`);
      const r = await home.git(['ls-remote', `${emu.url}/default/gateway-login.git`]);
      expect(r.code, r.stderr).toBe(0);
      const status = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { endpoints: Array<{ api_url: string; source: string }> };
      expect(status.endpoints.find((e) => e.api_url === emu.gatewayUrl)?.source).toBe('keychain');
      expect((await cli(home, ['logout', '--api-url', emu.gatewayUrl])).code).toBe(0);
    } finally {
      home.cleanup();
    }
  });

  it('no keychain library (the optional dependency absent): login says so and keeps the token in the file', async (ctx) => {
    skipWithoutSecretService(ctx);
    // The npm bundle alone, where no node_modules holds @napi-rs/keyring.
    const lone = path.join(mkdtempSync(path.join(os.tmpdir(), 'no-keyring-')), 'git-credential-artifacts.cjs');
    copyFileSync(path.join(repoRoot, 'dist', 'git-credential-artifacts.cjs'), lone);
    const home = await signedOutHome(service.env);
    try {
      const login = await home.run(process.execPath, [lone, 'login', '--with-token'], { input: emu.apiToken });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stderr).toBe(
        'git-credential-artifacts: the OS keychain is not usable: its library (@napi-rs/keyring, an optional dependency) is not installed or does not load on this machine; keeping the token in a private file instead\n',
      );
      expect(existsSync(path.join(configDir(home), 'api-tokens.json'))).toBe(true);
    } finally {
      home.cleanup();
      rmSync(path.dirname(lone), { recursive: true, force: true });
    }
  });

  it('an invalid token is refused by the emulator and nothing is stored', async (ctx) => {
    skipWithoutSecretService(ctx);
    const home = await signedOutHome(service.env);
    try {
      const login = await cli(home, ['login', '--with-token'], 'not-the-token-0123456789');
      expect(login.code).toBe(1);
      expect(login.stderr).toMatch(/does not accept this API token .*; nothing was stored/);
      expect(login.stderr).not.toContain('not-the-token-0123456789');
      expect(existsSync(configDir(home))).toBe(false);
    } finally {
      home.cleanup();
    }
  });
});

describe('emulator: the routes login and wrangler call', () => {
  it('GET /client/v4/user/tokens/verify: active for the API token, 401 code 1000 otherwise', async () => {
    const ok = await emu.rest('GET', '/client/v4/user/tokens/verify');
    expect(ok.status).toBe(200);
    expect(ok.body.success).toBe(true);
    expect(ok.body.result).toMatchObject({ status: 'active', id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(JSON.stringify(ok.body)).not.toContain(emu.apiToken);
    for (const bearer of ['wrong', null, emu.jwt]) {
      const bad = await emu.rest('GET', '/client/v4/user/tokens/verify', undefined, bearer);
      expect(bad.status).toBe(401);
      expect(bad.body.errors).toEqual([{ code: 1000, message: 'Invalid API Token' }]);
    }
  });

  it('GET /client/v4/accounts: the one account', async () => {
    const r = await emu.rest('GET', '/client/v4/accounts');
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual([expect.objectContaining({ id: 'emulator' })]);
    expect((await emu.rest('GET', '/client/v4/accounts', undefined, 'wrong')).status).toBe(401);
  });
});
