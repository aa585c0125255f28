// SIGTERM to git-remote-artifacts mid-push: forwarded to git's transport, which stops; our
// exit code says so, and the operation file's directory is gone.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { commitFile, leftoverOperationDirs, mints, settledLog } from './support.js';

describe.runIf(process.platform !== 'win32').each(gitsUnderTest())('signals with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;
  withConfiguredHome(git, (w) => ({ emu, home } = w));
  afterAll(async () => {
    await emu?.clearFaults();
  });

  it('SIGTERM while the write token is being minted: child stopped, temp dir removed', async () => {
    const repo = await emu.createRepo('default', 'sig');
    const cloned = await home.git(['clone', '-q', repo.remote, 'w']);
    expect(cloned.code, cloned.stderr).toBe(0);
    await commitFile(home, 'w', 'a.txt', 'a');
    const tmp = path.join(home.dir, 'tmp');
    mkdirSync(tmp);
    const trace = path.join(home.dir, 'trace.log');
    await emu.faults({ routes: [{ route: 'mint', delayMs: 1_500 }] });
    const push = home.git(['push', 'origin', 'main'], { cwd: path.join(home.dir, 'w'), env: { TMPDIR: tmp, ARTIFACTS_TRACE: trace } });
    // Wait until the credential helper is minting, so the remote helper is mid-session.
    const traced = () => (existsSync(trace) ? readFileSync(trace, 'utf8') : '');
    await expect.poll(traced, { timeout: 30_000, interval: 20 }).toContain('mint.start scope=write');
    const pid = Number(/git-remote-artifacts\[(\d+)\] operation\.write/.exec(traced())?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(leftoverOperationDirs(home, tmp)).toHaveLength(1);
    process.kill(pid, 'SIGTERM');
    const r = await push;
    expect(r.code).not.toBe(0);
    const text = readFileSync(trace, 'utf8');
    expect(text).toMatch(new RegExp(`git-remote-artifacts\\[${pid}\\] signal signal=SIGTERM`));
    const exited = Date.parse(new RegExp(`^(\\S+) git-remote-artifacts\\[${pid}\\] exit code=143`, 'm').exec(text)?.[1] ?? '');
    // We exit as soon as git's transport has stopped, without waiting for the slow mint: our
    // exit comes before the emulator logged the mint as answered (the same machine's clock, so
    // an order, not a duration). The orphaned credential helper still finishes the mint, which
    // is why git's stderr stays open until then.
    const held = mints(await settledLog(emu), 'write');
    expect(held).toHaveLength(1);
    expect(exited).toBeLessThan(Date.parse(held[0]!.at));
    expect(r.stderr).not.toMatch(/git-remote-artifacts: unexpected error/);
    expect(leftoverOperationDirs(home, tmp)).toEqual([]);
    await emu.clearFaults();
    // Nothing half-done: a plain retry works.
    const again = await home.git(['push', '-q', 'origin', 'main'], { cwd: path.join(home.dir, 'w') });
    expect(again.code, again.stderr).toBe(0);
    expect(mints(await settledLog(emu), 'write').length).toBeGreaterThanOrEqual(1);
  });
});
