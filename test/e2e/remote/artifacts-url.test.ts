// artifacts://<namespace>/<repo> remotes: resolved through GET /repos/:name of the configured
// API, served by the helper `configure` registered for the emulator's origin, refused for an
// origin nobody registered, and nothing at all happens for local commands. (Injection for
// unconfigured Cloudflare hosts needs https://<account>.artifacts.cloudflare.net and is covered
// by the unit tables of originPolicy.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import { type Emulator, type LogEntry } from '../../support/emulator.js';
import { makeGitHome, type GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { commitFile, expectScopesNeverCrossed, leftoverOperationDirs, mints, settledLog } from './support.js';

const repoLookups = (log: LogEntry[]) => log.filter((e) => e.kind === 'rest' && e.route === 'repo-get');

describe.each(gitsUnderTest())('artifacts:// URLs with $label', (git) => {
  let emu: Emulator;
  /** Registered with `configure --git-url` for the emulator. */
  let home: GitHome;
  /** Only artifacts.apiUrl and the account: the emulator's git origin is not registered. */
  let bare: GitHome;
  let tmp: string;
  const ok = async (h: GitHome, args: string[], cwd?: string) => {
    const r = await h.git(args, { cwd: cwd && path.join(h.dir, cwd) });
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };

  withConfiguredHome(git, (w) => ({ emu, home } = w));
  beforeAll(async () => {
    bare = makeGitHome(git, { ARTIFACTS_API_TOKEN: emu.apiToken, CLOUDFLARE_ACCOUNT_ID: emu.account });
    await ok(bare, ['config', '--global', 'artifacts.apiUrl', emu.apiUrl]);
    tmp = path.join(home.dir, 'tmp');
    mkdirSync(tmp);
    home.env.TMPDIR = tmp;
  });
  afterAll(async () => {
    bare?.cleanup();
  });

  it('`git remote add` and `git remote -v` call nothing; clone reads, push writes, fetch reuses', async () => {
    await emu.createRepo('default', 'url-1');
    await ok(home, ['init', '-q', 'local']);
    await emu.clearLog();
    await ok(home, ['remote', 'add', 'origin', 'artifacts://default/url-1'], 'local');
    const listed = await ok(home, ['remote', '-v'], 'local');
    expect(listed.stdout).toContain('origin\tartifacts://default/url-1 (push)');
    await ok(home, ['status', '-s'], 'local');
    expect(await settledLog(emu)).toEqual([]);

    const cloned = await home.git(['clone', '-q', 'artifacts://default/url-1', 'u1'], { env: { ARTIFACTS_TRACE: '1' } });
    expect(cloned.code, cloned.stderr).toBe(0);
    // The resolved origin is the registered one: configure's helper serves it, nothing injected.
    expect(cloned.stderr).toMatch(new RegExp(`origin origin=${emu.url.replace(/[.]/g, '\\.')} policy=configured`));
    expect(cloned.stderr).toMatch(/classify command="stateless-connect git-upload-pack" scope=read/);
    let log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['read']);
    expect(repoLookups(log)).toHaveLength(1);

    await commitFile(home, 'u1', 'a.txt', 'a');
    await ok(home, ['push', '-q', 'origin', 'main'], 'u1');
    await commitFile(home, 'u1', 'b.txt', 'b');
    await ok(home, ['push', '-q'], 'u1');
    await ok(home, ['fetch', '-q'], 'u1');
    const remote = await ok(home, ['ls-remote', 'artifacts://default/url-1']);
    expect(remote.stdout).toMatch(/refs\/heads\/main/);
    log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['read', 'write']);
    // The resolved remote is cached: one lookup for the whole session.
    expect(repoLookups(log)).toHaveLength(1);
    expectScopesNeverCrossed(log);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('a missing repo: one clear message, non-zero exit, no stack trace, nothing minted', async () => {
    await emu.clearLog();
    const r = await home.git(['clone', 'artifacts://default/nope', 'nope']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`git-remote-artifacts: repo default/nope not found in account ${emu.account}\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(mints(await settledLog(emu))).toEqual([]);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('an origin nobody registered is refused before any git request or mint, with the command that would register it', async () => {
    await emu.clearLog();
    const r = await bare.git(['clone', 'artifacts://default/url-1', 'refused']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`git-remote-artifacts: refusing to send Artifacts credentials to ${emu.url}: it is not a Cloudflare Artifacts host nor an endpoint you registered\n`);
    expect(r.stderr).toContain(`configure --git-url ${emu.url} --api-url ${emu.apiUrl} --account <ACCOUNT_ID>`);
    const log = await settledLog(emu);
    expect(mints(log)).toEqual([]);
    expect(log.filter((e) => e.kind === 'git')).toEqual([]);
  });

  it('no account anywhere: says what to set', async () => {
    const r = await bare.git(['ls-remote', 'artifacts://default/url-1'], { env: { CLOUDFLARE_ACCOUNT_ID: '' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/git-remote-artifacts: artifacts:\/\/default\/url-1 needs an account id/);
    expect(r.stderr).toMatch(/CLOUDFLARE_ACCOUNT_ID/);
  });

  it('git clone --recurse-submodules with artifacts:// and https submodule URLs (configured home)', async () => {
    const cfg = home;
    {
      const sup = await emu.createRepo('default', 'super');
      const subHttps = await emu.createRepo('default', 'sub-https');
      await emu.createRepo('default', 'sub-named');
      for (const [dir, url] of [['s1', subHttps.remote], ['s2', 'artifacts://default/sub-named'], ['sup', sup.remote]] as const) {
        await ok(cfg, ['clone', '-q', url, dir]);
        await commitFile(cfg, dir, 'README', dir);
        if (dir !== 'sup') await ok(cfg, ['push', '-q', 'origin', 'main'], dir);
      }
      // `submodule add` clones as an automated caller: needs protocol.artifacts.allow=always.
      await ok(cfg, ['submodule', 'add', '-q', subHttps.remote, 'https-sub'], 'sup');
      await ok(cfg, ['submodule', 'add', '-q', 'artifacts://default/sub-named', 'named-sub'], 'sup');
      await ok(cfg, ['commit', '-q', '-m', 'submodules'], 'sup');
      await ok(cfg, ['push', '-q', 'origin', 'main'], 'sup');
      await emu.clearLog();
      await ok(cfg, ['clone', '-q', '--recurse-submodules', sup.remote, 'all']);
      for (const sub of ['https-sub', 'named-sub']) {
        const st = await ok(cfg, ['-C', path.join('all', sub), 'log', '--oneline', '-1']);
        expect(st.stdout).toMatch(/README/);
      }
      const log = await settledLog(emu);
      // Read tokens were all cached by the setup clones: nothing new, and no write at all.
      expect(mints(log, 'write')).toEqual([]);
      expectScopesNeverCrossed(log);

    }
  });
});
