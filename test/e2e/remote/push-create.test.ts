// Push-to-create (issue 23): a push through git-remote-artifacts to a repo the API does not know
// creates it, says so in one line, mints once and lands; `artifacts.createOnPush false` in the
// global config turns it off and the refusal names the setting; a fetch, clone or ls-remote
// never creates anything. Real git against the emulator, for every git under test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import type { Emulator, LogEntry } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { commitFile, expectScopesNeverCrossed, leftoverOperationDirs, mints, settledLog } from './support.js';

const creates = (log: LogEntry[]) => log.filter((e) => e.kind === 'rest' && e.route === 'repo-create');
const createdLines = (stderr: string) => stderr.split('\n').filter((l) => /: created default\//.test(l));

describe.each(gitsUnderTest())('push-to-create with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;
  let n = 0;
  const fresh = (): string => `new-${++n}`;
  const httpsUrl = (repo: string): string => `${emu.url}/git/default/${repo}.git`;
  const run = (args: string[], cwd?: string, env?: NodeJS.ProcessEnv) => home.git(args, { cwd: cwd && path.join(home.dir, cwd), env });
  const ok = async (args: string[], cwd?: string, env?: NodeJS.ProcessEnv) => {
    const r = await run(args, cwd, env);
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  const exists = async (repo: string): Promise<boolean> => {
    const r = await emu.rest('GET', `${emu.nsUrl('default').slice(emu.url.length)}/repos/${repo}`);
    return r.status === 200;
  };
  /** A new local repo with one commit, in a directory of its own. */
  const newWork = async (dir: string): Promise<void> => {
    await ok(['init', '-q', '-b', 'main', dir]);
    await commitFile(home, dir, 'README', dir);
  };
  const withSetting = async <T>(value: string, body: () => Promise<T>): Promise<T> => {
    await ok(['config', '--global', 'artifacts.createOnPush', value]);
    try {
      return await body();
    } finally {
      await ok(['config', '--global', '--unset', 'artifacts.createOnPush']);
    }
  };

  withConfiguredHome(git, (w) => ({ emu, home } = w));
  beforeAll(() => {
    const tmp = path.join(home.dir, 'tmp');
    mkdirSync(tmp);
    home.env.TMPDIR = tmp;
  });

  it('an https remote routed through the wrapper (pushInsteadOf): created once, one write mint, the push lands', async () => {
    const repo = fresh();
    await newWork('h1');
    await emu.clearLog();
    const pushed = await ok(['push', httpsUrl(repo), 'HEAD:main'], 'h1');
    expect(createdLines(pushed.stderr)).toEqual([`git-credential-artifacts: created default/${repo}`]);
    const log = await settledLog(emu);
    expect(creates(log)).toHaveLength(1);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectScopesNeverCrossed(log);
    expect(await exists(repo)).toBe(true);
    expect((await ok(['ls-remote', httpsUrl(repo)])).stdout).toMatch(/\trefs\/heads\/main\n/);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('artifacts.createOnPush false (global config): the https push fails, names the setting, creates nothing', async () => {
    const repo = fresh();
    await newWork('h2');
    await emu.clearLog();
    const refused = await withSetting('false', () => run(['push', httpsUrl(repo), 'HEAD:main'], 'h2'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('artifacts.createOnPush is false');
    expect(createdLines(refused.stderr)).toEqual([]);
    expect(creates(await settledLog(emu))).toEqual([]);
    expect(await exists(repo)).toBe(false);
  });

  it('a fetch or ls-remote of a missing https repo creates nothing', async () => {
    const repo = fresh();
    await emu.clearLog();
    expect((await run(['ls-remote', httpsUrl(repo)])).code).not.toBe(0);
    expect((await run(['ls-remote', `artifacts::${httpsUrl(repo)}`])).code).not.toBe(0);
    expect((await run(['fetch', `artifacts::${httpsUrl(repo)}`, 'main'], 'h1')).code).not.toBe(0);
    expect(creates(await settledLog(emu))).toEqual([]);
    expect(await exists(repo)).toBe(false);
  });

  it('a create refused with 403: the error names the permission it takes, nothing is created', async () => {
    const repo = fresh();
    await newWork('h3');
    await emu.faults({ routes: [{ route: 'repo-create', status: 403, message: 'Forbidden' }] });
    const refused = await run(['push', httpsUrl(repo), 'HEAD:main'], 'h3');
    await emu.clearFaults();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('refused to create repo default/');
    expect(refused.stderr).toContain('creating a repo needs an API token with the "Artifacts Edit" permission');
    expect(await exists(repo)).toBe(false);
  });
  it('from a configured home with no repo yet, `git push artifacts://default/<new> HEAD:main` lands: created once, one write mint', async () => {
    const repo = fresh();
    await newWork('a1');
    await emu.clearLog();
    const pushed = await ok(['push', `artifacts://default/${repo}`, 'HEAD:main'], 'a1');
    expect(createdLines(pushed.stderr)).toEqual([`git-remote-artifacts: created default/${repo}`]);
    expect(pushed.stderr).toMatch(/\* \[new branch\]\s+HEAD -> main/);
    const log = await settledLog(emu);
    expect(creates(log)).toHaveLength(1);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectScopesNeverCrossed(log);
    expect(await exists(repo)).toBe(true);
    expect((await ok(['ls-remote', `artifacts://default/${repo}`])).stdout).toMatch(/\trefs\/heads\/main\n/);
    // A second push to it is an ordinary one.
    await commitFile(home, 'a1', 'two.txt', '2');
    const again = await ok(['push', '-q', `artifacts://default/${repo}`, 'HEAD:main'], 'a1');
    expect(createdLines(again.stderr)).toEqual([]);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('`git remote add origin artifacts://…` and `git push -u origin main` in a new directory, with options git sends (progress, verbosity)', async () => {
    const repo = fresh();
    await newWork('a2');
    await ok(['remote', 'add', 'origin', `artifacts://default/${repo}`], 'a2');
    const pushed = await ok(['push', '-u', '-v', '--progress', 'origin', 'main'], 'a2');
    expect(createdLines(pushed.stderr)).toEqual([`git-remote-artifacts: created default/${repo}`]);
    expect((await ok(['status', '-sb'], 'a2')).stdout).toContain('## main...origin/main');
    await ok(['fetch', '-q'], 'a2');
  });

  it('artifacts.createOnPush false: `git push artifacts://…` fails, names the setting, creates nothing', async () => {
    const repo = fresh();
    await newWork('a3');
    await emu.clearLog();
    const refused = await withSetting('false', () => run(['push', `artifacts://default/${repo}`, 'HEAD:main'], 'a3'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`git-remote-artifacts: repo default/${repo} not found`);
    expect(refused.stderr).toContain('git config artifacts.createOnPush is false');
    expect(creates(await settledLog(emu))).toEqual([]);
    expect(await exists(repo)).toBe(false);
  });

  it('clone, fetch and ls-remote of a missing artifacts:// repo: the not-found error, nothing created', async () => {
    const repo = fresh();
    await emu.clearLog();
    const cloned = await run(['clone', `artifacts://default/${repo}`, 'never']);
    expect(cloned.code).not.toBe(0);
    expect(cloned.stderr).toContain(`git-remote-artifacts: repo default/${repo} not found in account ${emu.account}\n`);
    expect((await run(['ls-remote', `artifacts://default/${repo}`])).code).not.toBe(0);
    expect((await run(['fetch', `artifacts://default/${repo}`, 'main'], 'a1')).code).not.toBe(0);
    const log = await settledLog(emu);
    expect(creates(log)).toEqual([]);
    expect(mints(log)).toEqual([]);
    expect(await exists(repo)).toBe(false);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('a proxy with a user name in the environment: the stand-in neither asks for its password nor hangs', async () => {
    // HTTPS_PROXY applies to the stand-in's https placeholder only (the emulator is http), so
    // before the stand-in turned proxying off, git asked for this proxy's password and, with
    // no terminal, the stand-in died and the session waited for ever.
    const proxy = { HTTPS_PROXY: 'http://puser@127.0.0.1:9', GIT_TERMINAL_PROMPT: '1' };
    const repo = fresh();
    const listed = await run(['ls-remote', `artifacts://default/${repo}`], undefined, proxy);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toContain(`git-remote-artifacts: repo default/${repo} not found in account ${emu.account}\n`);
    expect(listed.stderr).not.toMatch(/Password|proxy/i);
    await newWork('p1');
    const pushed = await ok(['push', `artifacts://default/${repo}`, 'HEAD:main'], 'p1', proxy);
    expect(createdLines(pushed.stderr)).toEqual([`git-remote-artifacts: created default/${repo}`]);
    expect(await exists(repo)).toBe(true);
  });

  it('two pushes at once to the same new repo: one creates, one mint, both land or one is refused by git alone', async () => {
    const repo = fresh();
    await newWork('c1');
    await newWork('c2');
    await emu.clearLog();
    const [a, b] = await Promise.all(['c1', 'c2'].map((d) => run(['push', `artifacts://default/${repo}`, 'HEAD:main'], d)));
    expect(createdLines(a!.stderr + b!.stderr)).toHaveLength(1);
    const log = await settledLog(emu);
    expect(creates(log).filter((e) => e.kind === 'rest' && e.status === 201)).toHaveLength(1);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expect([a!.code, b!.code]).toContain(0);
    // The other, if it failed, lost a race for main: git's own rejection, none of ours.
    for (const r of [a!, b!].filter((x) => x.code !== 0)) {
      expect(r.stderr).toMatch(/rejected|fetch first|non-fast-forward|failed to (update|lock)|cannot lock/);
      expect(r.stderr.split('\n').filter((l) => /^git-(remote|credential)-artifacts: /.test(l) && !/: created /.test(l))).toEqual([]);
    }
    expect((await ok(['ls-remote', `artifacts://default/${repo}`])).stdout).toMatch(/\trefs\/heads\/main\n/);
  });

  it('an invalid repo name: the rule is stated, nothing is created', async () => {
    await emu.clearLog();
    const r = await run(['push', 'artifacts://default/-bad', 'HEAD:main'], 'a1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('a repo name is 1 to 255 ASCII letters, digits, ".", "_" or "-", starting with a letter or digit');
    expect(creates(await settledLog(emu))).toEqual([]);
  });

  it('artifacts:// with a create refused (403): names the permission it takes, nothing is created', async () => {
    const repo = fresh();
    await emu.faults({ routes: [{ route: 'repo-create', status: 403, message: 'Forbidden' }] });
    const refused = await run(['push', `artifacts://default/${repo}`, 'HEAD:main'], 'a1');
    await emu.clearFaults();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`git-remote-artifacts: the Cloudflare API refused to create repo default/${repo}`);
    expect(refused.stderr).toContain('creating a repo needs an API token with the "Artifacts Edit" permission');
    expect(await exists(repo)).toBe(false);
  });
});
