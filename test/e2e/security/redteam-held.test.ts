// Red-team attacks (2026-12-01) that the current code withstands: kept as regression tests.
// Hostile URL spellings, a lying API, planted local files, proxies and redirects, erase, and
// configure's quoting. Each asserts that no credential reached the attacker and nothing hung.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import { helperAction, helperGet, mints } from '../../support/artifacts-home.js';
import { startAttacker, type Attacker, startAttackWorld, type AttackWorld, tokensIn } from '../../support/attacker.js';
import type { Emulator } from '../../support/emulator.js';
import { credentialBundle, makeGitHome, run, type GitHome } from '../../support/git-home.js';
import { atLeast, gitsUnderTest, pathGit } from '../../support/gits.js';
import { commitFile, settledLog } from '../remote/support.js';

const isRoot = process.getuid?.() === 0;
const nobody = 65534;

/** A fake control plane on loopback that answers every request with `answer`. */
async function fakeApi(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; stop(): void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const envelope = (result: unknown) => JSON.stringify({ success: true, errors: [], messages: [], result });

describe('red team, held: the credential helper and planted local files', () => {
  let emu: Emulator;
  let home: GitHome;
  let n = 0;
  withConfiguredHome(pathGit(), (w) => ({ emu, home } = w));
  const request = (repo: string, host = new URL(emu.url).host) => `protocol=http\nhost=${host}\npath=git/default/${repo}.git\n`;
  const cacheDir = () => path.join(home.env.XDG_RUNTIME_DIR!, 'git-credential-artifacts');

  // The cache directory replaced by a symlink to a directory another user controls: refused at
  // once (quit=1, so git fails fast), nothing written into the other directory.
  it('a token cache dir that is a symlink to another user\'s directory: refused at once, nothing written there', async () => {
    await emu.createRepo('default', `symdir-${++n}`);
    const other = path.join(home.dir, `other-${n}`);
    mkdirSync(other, { mode: 0o777 });
    if (isRoot) execFileSync('chown', [String(nobody), other]);
    const dir = path.join(home.dir, `run-sym-${n}`);
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(other, path.join(dir, 'git-credential-artifacts'));
    const r = await helperGet(home, emu, request(`symdir-${n}`), { XDG_RUNTIME_DIR: dir });
    expect(r.stdout).toBe('quit=1\n');
    expect(r.stderr).toMatch(/is unsafe: not a plain directory/);
    expect(readdirSync(other)).toEqual([]);
  });

  // XDG_RUNTIME_DIR itself made by another user, with our cache dir pre-created in it.
  it.skipIf(!isRoot)('an XDG_RUNTIME_DIR whose cache dir another user made: refused at once, nothing written there', async () => {
    await emu.createRepo('default', `xdg-${++n}`);
    const runtime = path.join(home.dir, `xdg-${n}`);
    mkdirSync(path.join(runtime, 'git-credential-artifacts'), { recursive: true, mode: 0o777 });
    execFileSync('chown', ['-R', String(nobody), runtime]);
    const r = await helperGet(home, emu, request(`xdg-${n}`), { XDG_RUNTIME_DIR: runtime });
    expect(r.stdout).toBe('quit=1\n');
    expect(r.stderr).toMatch(/owned by another user/);
    expect(readdirSync(path.join(runtime, 'git-credential-artifacts'))).toEqual([]);
  });

  // An operation file that says `write` but is another user's, or a symlink to one of ours:
  // never raises the scope.
  const spoiled: Array<[string, (f: string) => void]> = [
    ['world-readable', (f) => void execFileSync('chmod', ['644', f])],
    ...(isRoot ? [['owned by another user', (f: string) => void execFileSync('chown', [String(nobody), f])] as [string, (f: string) => void]] : []),
  ];
  it.each(spoiled)('an ARTIFACTS_OPERATION_FILE saying write but %s: read scope', async (_name, spoil) => {
    await emu.createRepo('default', `op-${++n}`);
    const file = path.join(home.dir, `op-${n}`);
    writeFileSync(file, 'write\n', { mode: 0o600 });
    spoil(file);
    await emu.clearLog();
    const r = await helperGet(home, emu, request(`op-${n}`), { ARTIFACTS_OPERATION_FILE: file, ARTIFACTS_TRACE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/source="default \(operation file not private\)"/);
    expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['read']);
  });

  it('an ARTIFACTS_OPERATION_FILE that is a symlink to a private file saying write: read scope', async () => {
    await emu.createRepo('default', `oplink-${++n}`);
    const real = path.join(home.dir, `op-real-${n}`);
    writeFileSync(real, 'write\n', { mode: 0o600 });
    const link = path.join(home.dir, `op-link-${n}`);
    symlinkSync(real, link);
    await emu.clearLog();
    const r = await helperGet(home, emu, request(`oplink-${n}`), { ARTIFACTS_OPERATION_FILE: link, ARTIFACTS_TRACE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/source="default \(operation file unreadable\)"/);
    expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['read']);
  });

  // erase drops only the entry whose secret git names, and only for the origin git names.
  it('erase with a wrong secret, or for another origin naming the same repo, deletes nothing', async () => {
    await emu.createRepo('default', `erase-${++n}`);
    const got = await helperGet(home, emu, request(`erase-${n}`));
    const secret = /^password=(.*)$/m.exec(got.stdout)?.[1];
    expect(secret).toMatch(/^art_v1_/);
    const before = readdirSync(cacheDir()).filter((f) => f.endsWith('.json')).sort();
    const wrong = await helperAction(home, emu, 'erase', `${request(`erase-${n}`)}username=x\npassword=art_v1_${'0'.repeat(40)}\n`);
    expect(wrong.code, wrong.stderr).toBe(0);
    const otherOrigin = await home.run(
      process.execPath,
      [credentialBundle, '--git-url', emu.url.replace('127.0.0.1', 'localhost'), '--api-url', emu.apiUrl, '--account', emu.account, 'erase'],
      { input: `${request(`erase-${n}`, new URL(emu.url.replace('127.0.0.1', 'localhost')).host)}username=x\npassword=${secret}\n` },
    );
    expect(otherOrigin.code, otherOrigin.stderr).toBe(0);
    expect(readdirSync(cacheDir()).filter((f) => f.endsWith('.json')).sort()).toEqual(before);
    await emu.clearLog();
    const again = await helperGet(home, emu, request(`erase-${n}`));
    expect(again.stdout).toContain(`password=${secret}\n`);
    expect(mints(await settledLog(emu))).toEqual([]);
  });

  // Input far above what git sends: refused quickly, no crash, nothing answered.
  it.each([
    ['2 MiB of input', () => `${request('big')}x=${'a'.repeat(2 << 20)}\n`, false],
    ['a 70 000-byte path', () => `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/${'a'.repeat(70_000)}.git\n`, false],
    ['40 000 capability[] lines', () => `${request('big')}${'capability[]=authtype\n'.repeat(40_000)}`, true],
  ])('%s: handled quickly, never a crash', async (_name, input, answers) => {
    await emu.createRepo('default', 'big').catch(() => undefined);
    const r = await helperGet(home, emu, input());
    expect(r.stderr).not.toMatch(/unexpected error/);
    if (answers) expect(r.stdout).toMatch(/^password=art_v1_/m);
    else expect(r.stdout).not.toMatch(/password=/);
  });

  // A lying control plane: a token with a line break (would add protocol lines of its own),
  // a token of the wrong scope. Neither reaches git.
  it.each([
    ['a plaintext with a newline and a host= line', { plaintext: `art_v1_${'a'.repeat(40)}\nhost=evil.example`, scope: 'read', id: 'x' }],
    ['a plaintext with a CR', { plaintext: `art_v1_${'a'.repeat(40)}\rhost=evil.example`, scope: 'read', id: 'x' }],
    ['a write token for a read request', { plaintext: `art_v1_${'a'.repeat(40)}?expires=${Math.floor(Date.now() / 1000) + 3600}`, scope: 'write', id: 'x' }],
    ['an id with a newline', { plaintext: `art_v1_${'a'.repeat(40)}?expires=${Math.floor(Date.now() / 1000) + 3600}`, scope: 'read', id: 'x\npassword=y' }],
  ])('a mint answer with %s is refused', async (_name, result) => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(envelope(result));
    });
    try {
      const r = await home.run(
        process.execPath,
        [credentialBundle, '--git-url', api.url, '--api-url', `${api.url}/client/v4`, '--account', 'a', 'get'],
        { input: `protocol=http\nhost=${new URL(api.url).host}\npath=git/default/lie.git\n`, env: { ARTIFACTS_CACHE_DIR: path.join(home.dir, `lie-cache-${++n}`) } },
      );
      expect(r.stdout).toBe('quit=1\n');
      expect(r.stderr).toMatch(/control characters|returned a write token/);
    } finally {
      api.stop();
    }
  });
});

describe.each(gitsUnderTest())('red team, held: hostile URLs, proxies and redirects with $label', (git) => {
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
  // (What the proxy sees in Authorization on git >= 2.46 is in redteam.test.ts.)
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

describe('red team, held: configure', () => {
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
