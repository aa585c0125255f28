// Faults release what they hold: a full disk never leaves a lock behind nor throws a good
// token away, and a lock left by a writer that died never makes the next get wait it out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfiguredHome } from '../../support/fixtures.js';
import { helperGet, mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { entryName } from '../../../src/token/cache.js';
import { settledLog } from '../remote/support.js';

const [git] = gitsUnderTest();

/** A tiny tmpfs to fill up: needs root and Linux (CI runs as root). */
function tinyDisk(dir: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(`faults with ${git!.label}`, () => {
  let emu: Emulator;
  let home: GitHome;
  withConfiguredHome(git!, (w) => ({ emu, home } = w));
  const request = (repo: string) => `protocol=http\nhost=${new URL(emu.url).host}\npath=git/default/${repo}.git\n`;

  it('a full disk: the minted token is still answered, with a warning, and no lock or temp file is left', async (ctx) => {
    const disk = path.join(home.dir, 'full');
    if (!tinyDisk(disk)) return ctx.skip();
    try {
      await emu.createRepo('default', 'full');
      // Fill it to the last byte (dd stops with ENOSPC).
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${path.join(disk, 'filler')}`, 'bs=1k', 'count=64'], { stdio: 'ignore' });
      } catch {
        // ENOSPC is the point.
      }
      await emu.clearLog();
      const env = { ARTIFACTS_CACHE_DIR: disk, ARTIFACTS_TIMEOUT: '5' };
      const r = await helperGet(home, emu, request('full'), env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^password=art_v1_/m);
      expect(r.stderr).toMatch(/could not cache the new read token \(cannot write .*ENOSPC.*\); using it for this command only/);
      expect(readdirSync(disk).sort()).toEqual(['filler']);
      // The next get is not held up by anything left behind: it mints again and answers.
      const again = await helperGet(home, emu, request('full'), env);
      expect(again.code, again.stderr).toBe(0);
      expect(mints(await settledLog(emu))).toHaveLength(2);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('an empty lock left by a writer that died is taken over, not waited out', async () => {
    await emu.createRepo('default', 'dead-writer');
    const dir = path.join(home.env.XDG_RUNTIME_DIR!, 'git-credential-artifacts');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = { origin: emu.url, apiUrl: emu.apiUrl, account: emu.account, namespace: 'default', repo: 'dead-writer', scope: 'read' as const };
    const lock = path.join(dir, `${entryName(key)}.lock`);
    writeFileSync(lock, '', { mode: 0o600 });
    const old = new Date(Date.now() - 3_000);
    utimesSync(lock, old, old);
    // The stale bound is ARTIFACTS_TIMEOUT + 5 s: waiting it out would exceed the time limit.
    const r = await helperGet(home, emu, request('dead-writer'), { ARTIFACTS_TIMEOUT: '3' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^password=/m);
    expect(existsSync(lock)).toBe(false);
  });
});
