// http.<origin>.proactiveAuth=basic (git >= 2.46,
// https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpproactiveAuth): git asks
// the helper before its first request instead of after a 401, which saves a round trip per
// git-remote-http (ArtifactFS starts one per blob it hydrates). Older gits ignore the
// setting and are challenged once per process as before. bench/proactive-auth.mjs measures
// what it saves; this only checks what goes over the wire.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { atLeast, gitsUnderTest } from '../../support/gits.js';
import { challenges, configuredHome, expectOneChallengePerProcess, gitRequests, incompressible, localRepo, mints, ok, seededRepo, settledLog } from './support.js';

describe.each(gitsUnderTest())('http.proactiveAuth=basic with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;

  beforeAll(async () => {
    emu = await startEmulator();
    home = await configuredHome(git, emu);
    // configure writes the key only in blocks that do not route pushes (no --account); this home
    // routes them (configuredHome passes --account), so set it here unless it is there already.
    const key = `http.${emu.url}/.proactiveAuth`;
    const current = await home.git(['config', '--global', '--get', key]);
    if (current.stdout.trim() !== 'basic') await ok(home, ['config', '--global', key, 'basic']);
  });
  afterAll(async () => {
    await emu?.stop();
    home?.cleanup();
  });

  it('ls-remote, blobless clone, a lazy blob fetch, fetch: no 401 on git >= 2.46, one per process before', async () => {
    const remote = await seededRepo(emu, home, 'reads', { 'a.txt': 'a\n' });
    await emu.clearLog();
    await ok(home, ['ls-remote', remote]);
    await ok(home, ['clone', '-q', '--filter=blob:none', '--no-checkout', remote, 'reads']);
    const blob = (await ok(home, ['rev-parse', 'HEAD:a.txt'], 'reads')).stdout.trim();
    expect((await ok(home, ['cat-file', '-p', blob], 'reads')).stdout).toBe('a\n');
    await ok(home, ['fetch', '-q'], 'reads');
    const log = await settledLog(emu);
    // Four git-remote-http processes: ls-remote, clone, the lazy fetch, fetch.
    expectOneChallengePerProcess(log, 4, atLeast(git, 2, 46));
    expect(new Set(gitRequests(log).filter((r) => r.tokenId).map((r) => `${r.scope} ${r.auth}`))).toEqual(new Set(['read basic']));
    expect(mints(log).map((m) => m.scope)).toEqual(['read']);
  });

  // KNOWN BUG on git >= 2.46 (it.fails until src/remote/ is fixed; then drop `.fails`): with
  // proactiveAuth, git-remote-http asks for credentials while it starts (http_init), before it
  // answers `capabilities`, so git-remote-artifacts has not yet seen `list for-push` nor written
  // the operation file: the helper answers with a read token and the push dies with 403
  // "Insufficient permissions". git < 2.46 ignores the setting and is not affected.
  (atLeast(git, 2, 46) ? it.fails : it)('a push through pushInsteadOf still gets a write token', async () => {
    const remote = await seededRepo(emu, home, 'push', { 'a.txt': 'a\n' });
    await ok(home, ['ls-remote', remote]); // a read token in the cache, as after any fetch
    await localRepo(home, 'push-big', { 'big.bin': incompressible(1_500_000) });
    await emu.clearLog();
    const pushed = await home.git(['push', '-q', remote, 'HEAD:refs/heads/big'], { cwd: path.join(home.dir, 'push-big') });
    expect(pushed.code, pushed.stderr).toBe(0);
    const log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expect(gitRequests(log).filter((r) => r.status === 403)).toEqual([]);
    expect(challenges(log).length).toBeLessThanOrEqual(1);
  });
});
