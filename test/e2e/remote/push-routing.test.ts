// Plain https remotes after `configure`: fetches stay on git's own transport (read token),
// pushes are rewritten by pushInsteadOf to artifacts::<url> and go through git-remote-artifacts
// (write token). Real git against the emulator, for every git under test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import { gitRequests } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { atLeast, gitsUnderTest } from '../../support/gits.js';
import { commitFile, expectScopesNeverCrossed, leftoverOperationDirs, mints, settledLog } from './support.js';

describe.each(gitsUnderTest())('push routing for https remotes with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;
  let tmp: string;
  let n = 0;
  const fresh = async (): Promise<string> => (await emu.createRepo('default', `push-${++n}`)).remote;
  const ok = async (args: string[], cwd?: string, env?: NodeJS.ProcessEnv) => {
    const r = await home.git(args, { cwd: cwd && path.join(home.dir, cwd), env });
    expect(r.code, `git ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };

  withConfiguredHome(git, (w) => ({ emu, home } = w));
  beforeAll(async () => {
    tmp = path.join(home.dir, 'tmp');
    mkdirSync(tmp);
    home.env.TMPDIR = tmp;
  });

  it('clone: one read mint; push: one write mint; again: none; fetch, pull, ls-remote: none', async () => {
    const remote = await fresh();
    await emu.clearLog();
    await ok(['clone', '-q', remote, 'a']);
    expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['read']);

    await commitFile(home, 'a', 'one.txt', '1');
    const pushed = await ok(['push', 'origin', 'main'], 'a', { ARTIFACTS_TRACE: '1' });
    // Routed through the remote helper, which recorded the scope before any HTTP request.
    expect(pushed.stderr).toMatch(/git-remote-artifacts\[\d+\] classify command="list for-push" scope=write/);
    expect(pushed.stderr).toMatch(/git-remote-artifacts\[\d+\] operation.write file=\S+ scope=write/);
    expect(pushed.stderr).toMatch(/git-credential-artifacts\[\d+\] scope scope=write source=git-remote-artifacts/);
    // configure's helper is in charge of the host; it is given to the child again after a
    // reset, so repo-local helpers never see the write token.
    expect(pushed.stderr).toMatch(/inject\.configured origin=\S+ why="configured in git config; repo-local helpers reset"/);
    expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['read', 'write']);

    await commitFile(home, 'a', 'two.txt', '2');
    await ok(['push', '-q'], 'a');
    await ok(['fetch', '-q'], 'a');
    await ok(['pull', '-q'], 'a');
    const listed = await ok(['ls-remote', remote]);
    expect(listed.stdout).toMatch(/refs\/heads\/main/);
    const log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['read', 'write']);
    expect(gitRequests(log).filter((r) => r.service === 'receive-pack' && r.status === 200).length).toBeGreaterThanOrEqual(2);
    expectScopesNeverCrossed(log);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  // The wrapper answers its child's credential request from the token cache itself
  // (src/remote/session-helper.ts): a cached push starts no credential helper at all.
  it('a push whose write token is cached: answered by the wrapper, no credential helper starts, nothing left behind', async () => {
    const remote = await fresh();
    await ok(['clone', '-q', remote, 'fast']);
    await commitFile(home, 'fast', 'one.txt', '1');
    const first = await ok(['push', '-q', 'origin', 'main'], 'fast', { ARTIFACTS_TRACE: '1' });
    // Nothing cached yet: the real helper, started behind the wrapper's, mints.
    expect(first.stderr).toMatch(/git-remote-artifacts\[\d+\] answer\.skipped scope=write why="cache no entry; the credential helper mints"/);
    expect(first.stderr).toMatch(/git-credential-artifacts\[\d+\] scope scope=write source=git-remote-artifacts/);

    await commitFile(home, 'fast', 'two.txt', '2');
    await emu.clearLog();
    const second = await ok(['push', '-q', 'origin', 'main'], 'fast', { ARTIFACTS_TRACE: '1' });
    expect(second.stderr).toMatch(/git-remote-artifacts\[\d+\] answer\.prepared scope=write id=\S+ secondsLeft=\d+/);
    expect(second.stderr).not.toMatch(/git-credential-artifacts\[/);
    const log = await settledLog(emu);
    expect(mints(log)).toEqual([]);
    expect(gitRequests(log).filter((r) => r.service === 'receive-pack' && r.status === 200).length).toBeGreaterThan(0);
    expectScopesNeverCrossed(log);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  // Artifacts answers a stale token with 403, which git never erases for (docs/git-and-artifacts-behaviour.md,
  // "Git-side 401 and 403"); a 401 to the answered credential is what makes git erase it.
  it('a cached write token the server answers 401: git\'s erase reaches our helper through the wrapper\'s, the next push mints anew', async () => {
    const remote = await fresh();
    await ok(['clone', '-q', remote, 'rejected']);
    await commitFile(home, 'rejected', 'one.txt', '1');
    await ok(['push', '-q', 'origin', 'main'], 'rejected');

    await commitFile(home, 'rejected', 'two.txt', '2');
    // The challenge and the authenticated retry both get 401.
    await emu.faults({ routes: [{ route: 'git', status: 401, count: 2 }] });
    const refused = await home.git(['push', '-q', 'origin', 'main'], { cwd: path.join(home.dir, 'rejected'), env: { ARTIFACTS_TRACE: '1' } });
    await emu.clearFaults();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/answer\.prepared scope=write/);
    expect(refused.stderr).toMatch(/git-credential-artifacts\[\d+\] erase scope=write/);

    await emu.clearLog();
    await ok(['push', '-q', 'origin', 'main'], 'rejected');
    expect(mints(await settledLog(emu)).map((m) => m.scope)).toEqual(['write']);
    expect(leftoverOperationDirs(home)).toEqual([]);
  });

  it('`git push <url>` and `git fetch --all` with a second remote', async () => {
    const first = await fresh();
    const second = await fresh();
    await ok(['clone', '-q', first, 'b']);
    await commitFile(home, 'b', 'f.txt', 'x');
    await emu.clearLog();
    // An explicit URL is an anonymous remote without pushurl: pushInsteadOf applies.
    await ok(['push', '-q', second, 'HEAD:refs/heads/main'], 'b');
    await ok(['remote', 'add', 'other', second], 'b');
    await ok(['fetch', '-q', '--all'], 'b');
    const log = await settledLog(emu);
    // second: write for the push, read for the fetch; first: its read token is cached.
    expect(mints(log).map((m) => `${m.repo} ${m.scope}`).sort()).toEqual([`push-${n} read`, `push-${n} write`]);
    expect(gitRequests(log).filter((r) => r.service === 'receive-pack' && r.status === 200).length).toBeGreaterThan(0);
    expectScopesNeverCrossed(log);
  });

  it('an explicit https pushurl bypasses pushInsteadOf: the push is refused with a read token, nothing is minted for write; artifacts::<url> as pushurl fixes it', async () => {
    const remote = await fresh();
    await ok(['clone', '-q', remote, 'c']);
    await commitFile(home, 'c', 'p.txt', 'p');
    await ok(['remote', 'set-url', '--push', 'origin', remote], 'c');
    await emu.clearLog();
    const refused = await home.git(['push', 'origin', 'main'], { cwd: path.join(home.dir, 'c') });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403|Insufficient permissions/);
    let log = await settledLog(emu);
    expect(mints(log)).toEqual([]); // the cached read token was offered; no write token exists
    expect(refused.stderr).toMatch(/Insufficient permissions/); // the server's word for a read token on receive-pack
    // git >= 2.46 sends the credential with the first request (configure's proactiveAuth).
    expect(gitRequests(log).filter((r) => r.service === 'receive-pack').map((r) => r.status)).toEqual(atLeast(git, 2, 46) ? [403] : [401, 403]);

    // The documented fix: route the pushurl through the remote helper explicitly.
    await ok(['remote', 'set-url', '--push', 'origin', `artifacts::${remote}`], 'c');
    await emu.clearLog();
    await ok(['push', '-q', 'origin', 'main'], 'c');
    log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectScopesNeverCrossed(log);
  });
});
