// Attacks through what git is given: hostile URL spellings of the attacker's loopback address and
// of Cloudflare hosts, repository config (.gitmodules, insteadOf), proxies and redirects, on every
// git under test, and configure's quoting of what it writes. The first block each worked once
// (red team of 2026-12-01, FINDING comments) and now guards its fix; the rest never worked.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helperAction, helperGet, mints } from '../../support/artifacts-home.js';
import { startAttacker, type Attacker, startAttackWorld, type AttackWorld, tokensIn } from '../../support/attacker.js';
import type { Emulator } from '../../support/emulator.js';
import { withConfiguredHome } from '../../support/fixtures.js';
import { credentialBundle, makeGitHome, run, type GitHome } from '../../support/git-home.js';
import { atLeast, gitsUnderTest, pathGit } from '../../support/gits.js';
import { commitFile, settledLog } from '../remote/support.js';
import { drainFifo, envelope, fakeApi, isRoot, nobody } from './support.js';

describe.each(gitsUnderTest())('hostile URLs and repository config with $label: attacks fixed', (git) => {
  let emu: Emulator;
  let attacker: Attacker;
  let home: GitHome;
  let n = 0;
  const ok = async (args: string[], cwd?: string) => {
    const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd) });
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  /** Anything the attacker saw that carried a repo token (Authorization or Proxy-Authorization). */
  const tokensSeen = () => tokensIn(attacker.seen);

  let world: AttackWorld | undefined;
  beforeAll(async () => {
    world = await startAttackWorld(git);
    ({ emu, attacker, home } = world);
  });
  afterAll(() => world?.stop());

  // FINDING (low): git-remote-artifacts checks the origin of `new URL(raw)` (WHATWG), which
  // reads `\` as `/` in http(s) URLs, but hands the raw string to git, whose parser (like
  // curl's) takes everything before the first `@` as user:password. So
  // artifacts::http://<registered host:port>\@<attacker>/… passes as the registered origin
  // (trace: `origin=<registered> policy=configured`) and git talks to the attacker. No token
  // goes there (git uses the URL's own user:password and asks no helper), but the documented
  // rule "anything else fails before any HTTP request" is broken, and a push sends the
  // attacker the user's commits under a name that looks registered. The Cloudflare form
  // (https://<32 hex>.artifacts.cloudflare.net\@evil/…) passes the same way, as `inject`.
  it('artifacts::<registered origin>\\@<attacker>/…: refused before any request', async () => {
    attacker.seen.length = 0;
    const url = `artifacts::${emu.url}\\@${attacker.url.slice('http://'.length)}/git/default/victim.git`;
    const r = await home.git(['ls-remote', url]);
    expect(r.code).not.toBe(0);
    expect(attacker.seen).toEqual([]);
    expect(r.stderr).toMatch(/git-remote-artifacts: (refusing to send Artifacts credentials|remote URL)/);
  });

  // FINDING (low; repo-local config): configure's chain for a registered origin is the reset
  // plus our helper in the global file, and a repository's own credential.helper lines are
  // read later and still added. git sends `store` with the credential to every helper after a
  // success, so a repo-local helper receives our tokens: for fetches that cannot be helped
  // (git's own transport), but pushes go through git-remote-artifacts, which could put the
  // reset and our helper in its child's GIT_CONFIG_COUNT pairs (command scope, read after the
  // repository's config) for configured origins too, as it already does for injected ones.
  it("a repository's own credential.helper never receives the write token of a routed push", async () => {
    const dir = `store-${++n}`;
    await ok(['init', '-q', dir]);
    await commitFile(home, dir, 'f.txt', 'f');
    const stolen = path.join(home.dir, `stolen-${n}.txt`);
    writeFileSync(stolen, '');
    await ok(['config', 'credential.helper', `!f() { cat >> '${stolen}'; }; f`], dir);
    await emu.clearLog();
    await ok(['push', '-q', `${emu.url}/git/default/victim.git`, `HEAD:refs/heads/store-${n}`], dir);
    expect(mints(await settledLog(emu), 'write').length).toBe(1); // the push did get a write token
    expect(readFileSync(stolen, 'utf8')).not.toMatch(/password=art_v/);
  });

  // FINDING (low; repo-local config), git >= 2.46 only: configure writes
  // http.<url>.proactiveAuth=basic, so git sends the token with its very first request,
  // before any challenge. Through a repository's http.proxy that means even a proxy that
  // only ever answers 407 (never forwards anything) reads the Authorization header. On git
  // 2.39 the same proxy gets nothing, because git waits for the origin's 401.
  // FINDING (low; repo-local config): http.proxy in a repository's own config (or
  // http.<url>.proxy, or http.curloptResolve, plus http.sslVerify=false for https) routes the
  // requests that carry our Basic token through an attacker. The remote helper reads only
  // trusted scopes for artifacts.*, but not for the http.* settings that decide where the
  // token physically goes. Fixable on the push path (refuse or override these when they come
  // from local/worktree/command scope); for git's own fetches only by documenting it.
  // Fixed on every path through git-remote-artifacts (pushes, artifacts:// and artifacts::):
  // such settings from local or worktree scope are refused before any request. git's own
  // fetch transport is git's behaviour and documented (a writable .git/config can already run
  // code, e.g. core.fsmonitor).
  it.each([
    ['http.proxy', () => attacker.url],
    [`http.<origin>.proxy`, () => attacker.url],
    ['remote.origin.proxy', () => attacker.url],
    ['http.curloptResolve', () => `${new URL(emu.url).hostname}:${new URL(emu.url).port}:127.0.0.2`],
  ])("a repository's own %s: a routed push is refused before any request", async (key, value) => {
    const dir = `proxy-${++n}`;
    await ok(['init', '-q', dir]);
    await commitFile(home, dir, 'f.txt', 'f');
    await ok(['remote', 'add', 'origin', `${emu.url}/git/default/victim.git`], dir);
    await ok(['config', key.replace('<origin>', emu.url), value()], dir);
    attacker.seen.length = 0;
    await emu.clearLog();
    const r = await home.git(['push', '-q', 'origin', `HEAD:refs/heads/proxy-${n}`], { cwd: path.join(home.dir, dir) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to send Artifacts credentials: this repository's own config sets \S+ \(local scope\)/);
    expect(attacker.seen).toEqual([]);
    expect(tokensSeen()).toEqual([]);
    expect(mints(await settledLog(emu)).filter((m) => m.scope === 'write')).toEqual([]);
  });
});

describe.each(gitsUnderTest())('hostile URLs, proxies and redirects with $label: attacks held', (git) => {
  let emu: Emulator;
  let attacker: Attacker;
  let home: GitHome;
  let n = 0;
  const ok = async (args: string[], cwd?: string) => {
    const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd) });
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  const tokensSeen = (a: Attacker) => tokensIn(a.seen);

  let world: AttackWorld | undefined;
  beforeAll(async () => {
    world = await startAttackWorld(git);
    ({ emu, attacker, home } = world);
  });
  afterAll(() => world?.stop());

  // Other spellings of the attacker's loopback address and of a Cloudflare host: each is
  // parsed to its canonical origin and refused before any request.
  it.each([
    ['127.1', (p: string) => `http://127.1:${p}`],
    ['0x7f.0.0.1', (p: string) => `http://0x7f.0.0.1:${p}`],
    ['017700000001', (p: string) => `http://017700000001:${p}`],
    ['%-encoded 127', (p: string) => `http://%31%32%37.0.0.1:${p}`],
    ['upper-case scheme', (p: string) => `HTTP://127.0.0.1:${p}`],
    ['trailing dot', (p: string) => `http://127.0.0.1.:${p}`],
    ['localhost.', (p: string) => `http://localhost.:${p}`],
    ['a user name', (p: string) => `http://x@127.0.0.1:${p}`],
    ['a Cloudflare host as user name', (p: string) => `http://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net.@127.0.0.1:${p}`],
  ])('artifacts::<attacker as %s>: refused before any request', async (_name, url) => {
    attacker.seen.length = 0;
    const r = await home.git(['ls-remote', `artifacts::${url(new URL(attacker.url).port)}/git/default/victim.git`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/git-remote-artifacts: (refusing to send Artifacts credentials|remote URL)/);
    expect(attacker.seen).toEqual([]);
  });

  // A .gitmodules URL relative to an artifacts:: superproject that climbs out of it onto the
  // attacker's port: still refused.
  it('a relative submodule URL that climbs onto the attacker: refused, no request', async () => {
    const sup = await emu.createRepo('default', `rel-${++n}`);
    const dir = `rel-${n}`;
    await ok(['clone', '-q', sup.remote, dir]);
    const port = new URL(attacker.url).port;
    writeFileSync(path.join(home.dir, dir, '.gitmodules'), `[submodule "evil"]\n\tpath = evil\n\turl = ../../../../127.0.0.1:${port}/git/default/victim.git\n`);
    const commit = execFileSync('git', ['-C', path.join(home.dir, dir), 'hash-object', '-t', 'commit', '--stdin', '-w'], {
      input: 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\nx\n',
      encoding: 'utf8',
      env: home.env,
    }).trim();
    await ok(['update-index', '--add', '--cacheinfo', `160000,${commit},evil`], dir);
    await ok(['add', '.gitmodules'], dir);
    await ok(['commit', '-q', '-m', 'submodule'], dir);
    await ok(['push', '-q', 'origin', 'main'], dir);
    attacker.seen.length = 0;
    await home.git(['clone', '-q', '--recurse-submodules', `artifacts::${sup.remote}`, `rel-clone-${n}`]);
    expect(tokensSeen(attacker)).toEqual([]);
  });

  // A lying control plane answers artifacts://default/victim with the attacker's URL.
  it('artifacts://: an API answer naming the attacker as the remote is refused before any request', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(envelope({ id: 'x', name: 'victim', remote: `${attacker.url}/git/default/victim.git` }));
    });
    const liarHome = makeGitHome(git, { ARTIFACTS_API_TOKEN: emu.apiToken });
    try {
      const c = await liarHome.run(process.execPath, [credentialBundle, 'configure', '--git-url', emu.url, '--api-url', `${api.url}/client/v4`, '--account', emu.account]);
      expect(c.code, c.stderr).toBe(0);
      attacker.seen.length = 0;
      const r = await liarHome.git(['ls-remote', 'artifacts://default/victim']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`refusing to send Artifacts credentials to ${attacker.url}`);
      expect(attacker.seen).toEqual([]);
    } finally {
      api.stop();
      liarHome.cleanup();
    }
  });

  // A proxy that asks for its own credentials (407): git asks the helpers about the proxy's
  // host, and ours answers nothing for it, so no Proxy-Authorization ever carries a token.
  // (What the proxy sees in Authorization on git >= 2.46 is in the "attacks fixed" block above.)
  it("a repository's own http.proxy that answers 407 gets no token as proxy credentials", async () => {
    const proxyAuth: string[] = [];
    const proxy = http.createServer((req, res) => {
      req.resume();
      proxyAuth.push(req.headers['proxy-authorization'] ?? '');
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"' });
      res.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const dir = `p407-${++n}`;
      await ok(['init', '-q', dir]);
      await ok(['config', 'http.proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`], dir);
      const r = await home.git(['ls-remote', `${emu.url}/git/default/victim.git`], { cwd: path.join(home.dir, dir) });
      expect(r.code).not.toBe(0);
      expect(proxyAuth.length).toBeGreaterThan(0);
      expect(proxyAuth.filter((a) => Buffer.from(a.replace(/^\S+\s+/, ''), 'base64').toString('latin1').includes('art_v'))).toEqual([]);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  // url.<attacker>.insteadOf in a repository's own config: git's own transport goes to the
  // attacker, and our helper does not answer for that host.
  it("a repository's own insteadOf pointing our origin at the attacker gets no token", async () => {
    const dir = `insteadof-${++n}`;
    await ok(['init', '-q', dir]);
    await commitFile(home, dir, 'f.txt', 'f');
    await ok(['config', `url.${attacker.url}/.insteadOf`, `${emu.url}/`], dir);
    attacker.seen.length = 0;
    await home.git(['ls-remote', `${emu.url}/git/default/victim.git`], { cwd: path.join(home.dir, dir) });
    await home.git(['push', `${emu.url}/git/default/victim.git`, 'HEAD:refs/heads/x'], { cwd: path.join(home.dir, dir) });
    expect(attacker.seen.length).toBeGreaterThan(0);
    expect(attacker.withCredentials()).toEqual([]);
  });

  // A registered server that redirects every request, the first one included: with
  // proactiveAuth (git >= 2.46) that first request already carries the token, and curl must
  // not carry it over to the attacker's port on the same address.
  it.skipIf(!atLeast(git, 2, 46))('a registered server redirecting the proactively authenticated first request: nothing reaches the attacker', async () => {
    await emu.createRepo('default', `redir1-${++n}`);
    const liar = await startAttacker((req, res) => {
      res.writeHead(302, { Location: `${attacker.url}${req.url}` });
      res.end();
    });
    const liarHome = makeGitHome(git, { ARTIFACTS_API_TOKEN: emu.apiToken });
    try {
      const c = await liarHome.run(process.execPath, [credentialBundle, 'configure', '--git-url', liar.url, '--api-url', emu.apiUrl, '--account', emu.account]);
      expect(c.code, c.stderr).toBe(0);
      await liarHome.git(['config', '--global', `http.${liar.url}/.proactiveAuth`, 'basic']);
      attacker.seen.length = 0;
      await liarHome.git(['-c', 'http.followRedirects=true', 'ls-remote', `${liar.url}/git/default/redir1-${n}.git`]);
      expect(tokensSeen(liar).length).toBeGreaterThan(0); // the registered origin did get it
      expect(attacker.seen.length).toBeGreaterThan(0); // and git did follow
      expect(attacker.withCredentials()).toEqual([]);
    } finally {
      await liar.stop();
      liarHome.cleanup();
    }
  });
});

describe('configure quotes what it writes: attacks held', () => {
  // Shell metacharacters in a URL that configure bakes into the helper command: quoted, so
  // git's `sh -c` never runs them.
  it('an --api-url with quotes, $IFS and backticks is quoted in the helper command', async () => {
    const home = makeGitHome(pathGit(), { ARTIFACTS_API_TOKEN: 'test-api-token-quoting' });
    try {
      const marker = path.join(home.dir, 'pwned');
      const api = `http://127.0.0.1:1/x';touch$IFS${marker};'\`touch$IFS${marker}2\``;
      const c = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', 'http://127.0.0.1:2', '--api-url', api, '--account', 'a']);
      expect(c.code, c.stderr).toBe(0);
      const r = await run('git', ['credential', 'fill'], { input: 'protocol=http\nhost=127.0.0.1:2\npath=git/default/r.git\n\n', env: { ...home.env, ARTIFACTS_TIMEOUT: '2' }, cwd: home.dir });
      expect(r.stdout).not.toMatch(/password=/);
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(`${marker}2`)).toBe(false);
    } finally {
      home.cleanup();
    }
  });
});
