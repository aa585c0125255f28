// A cached token revoked on the server heals (issue 21): Artifacts answers it 403, git calls
// neither erase nor store, and before this every fetch failed until the token expired. Now at
// most the first git command fails: its get's mark was never confirmed by git's `store`, so the
// next get asks the server, finds the token refused, and mints anew (src/token/served.ts). On
// every git in CI: the confirmation rides on git calling `store` after its first good request.
import { describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import { configuredHome, mints } from '../../support/artifacts-home.js';
import type { Emulator } from '../../support/emulator.js';
import { credentialBundle } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

let emu: Emulator;
withEmulator((e) => (emu = e));

describe.each(gitsUnderTest().map((g, i) => ({ g, i, label: g.label })))('a revoked cached read token with $label', ({ g, i }) => {
  it('the first fetch after the revoke fails, the second mints anew and succeeds; good tokens are never probed', async () => {
    const { remote } = await emu.createRepo('default', `revoked-${i}`);
    const home = await configuredHome(g, emu);
    try {
      const clone = await home.git(['clone', '-q', remote, 'w']);
      expect(clone.code, clone.stderr).toBe(0);
      const trace = { ARTIFACTS_TRACE: '1' };
      const again = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('cache.hit');
      expect(again.stderr).not.toContain('served.probe'); // the clone's git confirmed it
      const ours = async () => mints(await emu.log(), 'read').filter((m) => m.repo === `revoked-${i}`);
      const [read] = await ours();
      expect(read?.tokenId).toBeTruthy();

      await emu.revoke(read!.tokenId!);
      // doctor names the dead token (its own probe mints a fresh one, which works).
      const doctor = await home.run(process.execPath, [credentialBundle, 'doctor', 'origin', '--json'], { cwd: `${home.dir}/w` });
      expect(doctor.code).not.toBe(0);
      const dead = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'cached-read-token');
      expect(dead).toMatchObject({ status: 'fail', found: expect.stringContaining(`the cached read token ${read!.tokenId} for default/revoked-${i} is refused`), fix: expect.stringContaining(`revoke default/revoked-${i} --scope read`) });
      const minted = (await ours()).length; // the clone's, and doctor's probe's
      const first = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(first.code, first.stderr).not.toBe(0);
      expect(first.stderr).toMatch(/403/);

      const second = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/served\.probe .*result=refused/);
      expect(await ours()).toHaveLength(minted + 1);

      // And the fresh token is confirmed again: no probe on the next one.
      const third = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(third.code, third.stderr).toBe(0);
      expect(third.stderr).not.toContain('served.probe');
      expect(await ours()).toHaveLength(minted + 1);
    } finally {
      home.cleanup();
    }
  });

  it('through git-remote-artifacts (artifacts:// URL): the wrapper answers from the cache, a failed session marks it, the next one heals', async () => {
    await emu.createRepo('default', `wrapped-${i}`);
    const home = await configuredHome(g, emu);
    try {
      const clone = await home.git(['clone', '-q', `artifacts://default/wrapped-${i}`, 'w']);
      expect(clone.code, clone.stderr).toBe(0);
      const trace = { ARTIFACTS_TRACE: '1' };
      const again = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('answer.prepared');
      const ours = async () => mints(await emu.log(), 'read').filter((m) => m.repo === `wrapped-${i}`);
      await emu.revoke((await ours())[0]!.tokenId!);
      const first = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(first.code, first.stderr).not.toBe(0);
      expect(first.stderr).toContain('served.unconfirmed');
      const second = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/served\.probe .*result=refused/);
      expect(await ours()).toHaveLength(2);
      const third = await home.git(['fetch'], { cwd: `${home.dir}/w`, env: trace });
      expect(third.code, third.stderr).toBe(0);
      expect(third.stderr).not.toContain('served.probe');
      expect(await ours()).toHaveLength(2);
    } finally {
      home.cleanup();
    }
  });
});
