// A push larger than http.postBuffer (1 MiB) makes git send a probe POST before the pack
// (remote-curl.c probe_rpc()). git 2.46-2.53 send that probe without an authtype credential, so
// a helper that answers `authtype=Bearer` gets the push killed with "RPC failed; HTTP 401"
// (fixed in git 2.54 by https://github.com/git/git/commit/ed0f7a62f7). Our helper answers Basic
// on every git; this proves it end to end for both ways users push: a plain https remote
// rewritten by configure's pushInsteadOf, and an artifacts://<ns>/<repo> remote.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, expectOneChallengePerProcess, gitRequests, incompressible, localRepo, mints, ok, settledLog } from './support.js';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.each(gitsUnderTest())('pushes over 1 MiB with $label', (git) => {
  const w = configuredWorld(git);


  /** Pushes a 3 MB commit of random bytes to `remote` from a new local repo `dir`. */
  const pushLarge = async (dir: string, remote: string) => {
    await localRepo(w.home, dir, { 'big.bin': incompressible(3_000_000), 'README': `${dir}\n` });
    await ok(w.home, ['remote', 'add', 'origin', remote], dir);
    await w.emu.clearLog();
    const pushed = await w.home.git(['push', 'origin', 'main'], { cwd: path.join(w.home.dir, dir) });
    return { pushed, log: await settledLog(w.emu) };
  };

  /** Clones `remote` back over plain https (read token) and compares it with the pushed tree. */
  const expectOnServer = async (dir: string, remote: string) => {
    await ok(w.home, ['clone', '-q', remote, `${dir}-back`]);
    const head = (d: string) => ok(w.home, ['rev-parse', 'HEAD'], d).then((r) => r.stdout.trim());
    expect(await head(`${dir}-back`)).toBe(await head(dir));
    expect(sha256(path.join(w.home.dir, `${dir}-back`, 'big.bin'))).toBe(sha256(path.join(w.home.dir, dir, 'big.bin')));
  };

  it('plain https + pushInsteadOf: the push lands, one write mint, one challenge', async () => {
    const { remote } = await w.emu.createRepo('default', 'large-https');
    const { pushed, log } = await pushLarge('https', remote);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toMatch(/RPC failed|HTTP 401/);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expect(gitRequests(log).every((r) => r.service === 'receive-pack')).toBe(true);
    // One git-remote-http, started by git-remote-artifacts: probe and pack carried the token. It
    // is challenged even where configure set proactiveAuth: the wrapper turns that off for its
    // child, which would otherwise ask before anyone knows it pushes (proactive-auth.test.ts).
    expectOneChallengePerProcess(log, 1, false);
    await expectOnServer('https', remote);
  });

  it('artifacts://<ns>/<repo>: the push lands, one write mint, one challenge', async () => {
    const { remote } = await w.emu.createRepo('default', 'large-url');
    const { pushed, log } = await pushLarge('url', 'artifacts://default/large-url');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toMatch(/RPC failed|HTTP 401/);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectOneChallengePerProcess(log, 1, false);
    await expectOnServer('url', remote);
  });
});
