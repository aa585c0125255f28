// install/install.sh and uninstall.sh into a temp prefix and a temp HOME, with the route under
// test: the single executable when ARTIFACTS_TEST_SEA_DIR is set (.ci/run's second pass), else
// the npm package (`npm pack` of the built dist/, installed with `npm install -g --prefix`).
// Then what a newcomer runs from that installation: the demo.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, run, seaDir } from '../../support/git-home.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'install-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let route: string[] = [];

beforeAll(async () => {
  if (seaDir) {
    route = ['--sea', seaDir];
    return;
  }
  // dist/ is built by the global setup; --ignore-scripts keeps prepack from rebuilding it under other suites.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', root], { cwd: repoRoot, env: process.env });
  expect(packed.code, packed.stderr).toBe(0);
  route = ['--npm', path.join(root, packed.stdout.trim().split('\n').pop()!)];
}, 120_000);

let n = 0;
function freshHome() {
  const home = path.join(root, `home-${n++}`);
  mkdirSync(path.join(home, 'tmp'), { recursive: true });
  // This machine's environment (CA certificates, npm's user config) minus anything that points
  // git or the tools elsewhere; npm offline, so the optional keychain addon is skipped, not fetched.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GIT_|ARTIFACTS_|CLOUDFLARE_|XDG_)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    TMPDIR: path.join(home, 'tmp'),
    GIT_CONFIG_NOSYSTEM: '1',
    npm_config_userconfig: path.join(os.homedir(), '.npmrc'),
    npm_config_cache: path.join(root, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const prefix = path.join(home, '.local');
  const bin = path.join(prefix, 'bin');
  const install = (...args: string[]) => run('sh', [path.join(repoRoot, 'install', 'install.sh'), ...route, '--prefix', prefix, ...args], { env, timeoutMs: 120_000 });
  const uninstall = () => run('sh', [path.join(repoRoot, 'install', 'uninstall.sh'), '--prefix', prefix], { env, timeoutMs: 120_000 });
  const tools = () => (existsSync(bin) ? readdirSync(bin).filter((f) => /artifacts/.test(f)) : []);
  return { home, env, bin, install, uninstall, tools, gitconfig: path.join(home, '.gitconfig') };
}

describe.sequential(`install.sh (${seaDir ? 'single executable' : 'npm package'})`, () => {
  it('a first install whose configure fails (-- --account BAD) is rolled back and says so', async () => {
    const h = freshHome();
    const r = await h.install('--', '--account', 'BAD');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"BAD" is not a Cloudflare account id/);
    expect(r.stderr).toMatch(/install\.sh: configure failed \(above\), so this install was rolled back: nothing is installed and your gitconfig is unchanged\ninstall\.sh: hint: /);
    expect(h.tools()).toEqual([]);
    expect(existsSync(h.gitconfig)).toBe(false);
  });

  it('an update whose configure fails keeps the tools and says how to finish', async () => {
    const h = freshHome();
    expect((await h.install()).code).toBe(0);
    const r = await h.install('--', '--account', 'BAD');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`install.sh: the tools in ${h.bin} were updated, but configure failed (above): git is not set up by this run`);
    expect(r.stderr).toContain(`install.sh: hint: finish with: ${h.bin}/git-credential-artifacts configure`);
    expect(h.tools().sort()).toEqual(['artifacts-emulator', 'git-credential-artifacts', 'git-remote-artifacts']);
  });

  it('the demo runs from the installed copy and removes its temp dir; uninstall leaves no gitconfig where there was none', async () => {
    const h = freshHome();
    expect((await h.install()).code).toBe(0);
    expect(existsSync(h.gitconfig)).toBe(true);
    // What was there before the demo: npm on Node >= 22 leaves its own node-compile-cache in TMPDIR.
    const before = readdirSync(h.env.TMPDIR!);
    const demo = await run(path.join(h.bin, 'artifacts-emulator'), ['demo'], { env: h.env, timeoutMs: 120_000 });
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/\$ git clone http:\/\/127\.0\.0\.1:\d+\/git\/default\/hello\.git hello\n\s+Cloning into 'hello'/);
    expect(demo.stdout).toMatch(/\$ git push origin HEAD:main\n\s+To artifacts::http/);
    expect(demo.stdout).toMatch(/tokens minted: 2 \(read, write\)/);
    expect(readdirSync(h.env.TMPDIR!)).toEqual(before);
    const u = await h.uninstall();
    expect(u.code).toBe(0);
    expect(h.tools()).toEqual([]);
    expect(existsSync(h.gitconfig)).toBe(false);
  });

  it('uninstall says what stays (the stored API tokens, the cached repo tokens) and how to remove it; --logout removes the logins first (issue 21)', async () => {
    const h = freshHome();
    expect((await h.install()).code).toBe(0);
    const cfg = path.join(h.home, '.config', 'git-credential-artifacts');
    const cache = path.join(h.home, '.local', 'state', 'git-credential-artifacts', 'tokens');
    const plant = () => {
      mkdirSync(cfg, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(cfg, 'logins.json'), '{"v":1,"logins":[{"apiUrl":"http://127.0.0.1:9/client/v4","store":"file"}]}\n', { mode: 0o600 });
      mkdirSync(cache, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(cache, 'abc.json'), '{}', { mode: 0o600 });
    };
    plant();
    const u = await h.uninstall();
    expect(u.code).toBe(0);
    expect(u.stderr).toContain(`uninstall.sh: kept: the API tokens \`login\` stored (in the OS keychain, service git-credential-artifacts, or in ${cfg}/api-tokens.json), listed in ${cfg}/logins.json\n`);
    expect(u.stderr).toContain('uninstall.sh: hint: to remove them, run this again with --logout, or delete the keychain entries of service git-credential-artifacts and then rm -r');
    expect(u.stderr).toContain(`uninstall.sh: kept: cached repo tokens in ${cache} (valid until they expire, at most an hour)\n`);
    expect(h.tools()).toEqual([]);

    expect((await h.install()).code).toBe(0);
    const withLogout = await run('sh', [path.join(repoRoot, 'install', 'uninstall.sh'), '--prefix', path.join(h.home, '.local'), '--logout'], { env: h.env, timeoutMs: 120_000 });
    expect(withLogout.stderr).not.toMatch(/kept: the API tokens/);
    expect(withLogout.stdout).toMatch(/Logged out of every account on http:\/\/127\.0\.0\.1:9\/client\/v4/);
    expect(withLogout.code).toBe(0);
    expect(existsSync(path.join(cfg, 'logins.json'))).toBe(false);
    expect(h.tools()).toEqual([]);
  });
});
