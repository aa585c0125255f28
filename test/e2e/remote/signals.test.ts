// SIGTERM to git-remote-artifacts mid-push: forwarded to git's transport, which stops; our
// exit code says so, and the operation file's directory is gone.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredHome } from '../../support/artifacts-home.js';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { commitFile, leftoverOperationDirs, mints, settledLog } from './support.js';

describe.runIf(process.platform !== 'win32').each(gitsUnderTest())('signals with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;
  beforeAll(async () => {
    emu = await startEmulator();
    home = await configuredHome(git, emu);
  });
  afterAll(async () => {
    await emu?.clearFaults();
    await emu?.stop();
    home?.cleanup();
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
    const started = Date.now();
    const push = home.git(['push', 'origin', 'main'], { cwd: path.join(home.dir, 'w'), env: { TMPDIR: tmp, ARTIFACTS_TRACE: trace } });
    // Wait until the credential helper is minting, so the remote helper is mid-session.
    let pid: number | undefined;
    while (Date.now() - started < 10_000) {
      const text = existsSync(trace) ? readFileSync(trace, 'utf8') : '';
      if (text.includes('mint.start scope=write')) {
        pid = Number(/git-remote-artifacts\[(\d+)\] operation\.write/.exec(text)?.[1]);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(pid).toBeGreaterThan(0);
    expect(leftoverOperationDirs(tmp)).toHaveLength(1);
    process.kill(pid!, 'SIGTERM');
    const r = await push;
    expect(r.code).not.toBe(0);
    const text = readFileSync(trace, 'utf8');
    expect(text).toMatch(new RegExp(`git-remote-artifacts\\[${pid}\\] signal signal=SIGTERM`));
    const stamp = (event: string) => Date.parse(new RegExp(`^(\\S+) git-remote-artifacts\\[${pid}\\] ${event}`, 'm').exec(text)?.[1] ?? '');
    // We exit as soon as git's transport has stopped, without waiting for the slow mint. (The
    // orphaned credential helper still finishes it, which is why git's stderr stays open.)
    expect(stamp('exit code=143') - stamp('signal signal=SIGTERM')).toBeLessThan(1_000);
    expect(r.stderr).not.toMatch(/git-remote-artifacts: unexpected error/);
    expect(leftoverOperationDirs(tmp)).toEqual([]);
    await emu.clearFaults();
    // Nothing half-done: a plain retry works.
    const again = await home.git(['push', '-q', 'origin', 'main'], { cwd: path.join(home.dir, 'w') });
    expect(again.code, again.stderr).toBe(0);
    expect(mints(await settledLog(emu), 'write').length).toBeGreaterThanOrEqual(1);
  });
});
