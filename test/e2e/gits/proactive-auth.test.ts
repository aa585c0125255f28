// http.<origin>.proactiveAuth=basic (git >= 2.46,
// https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpproactiveAuth): git asks
// the helper before its first request instead of after a 401, which saves a round trip per
// git-remote-http (ArtifactFS starts one per blob it hydrates). Older gits ignore the
// setting and are challenged once per process as before. bench/proactive-auth.mjs measures
// what it saves; this only checks what goes over the wire.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atLeast, gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, expectOneChallengePerProcess, gitRequests, incompressible, localRepo, mints, ok, seededRepo, settledLog } from './support.js';

describe.each(gitsUnderTest())('http.proactiveAuth=basic with $label', (git) => {
  const w = configuredWorld(git);

  beforeAll(async () => {
    // configure writes the key for its hosts; set it here too if it did not, so this test checks
    // git's behaviour with the key whatever configure's block holds.
    const key = `http.${w.emu.url}/.proactiveAuth`;
    const current = await w.home.git(['config', '--global', '--get', key]);
    if (current.stdout.trim() !== 'basic') await ok(w.home, ['config', '--global', key, 'basic']);
  });

  it('ls-remote, blobless clone, a lazy blob fetch, fetch: no 401 on git >= 2.46, one per process before', async () => {
    const remote = await seededRepo(w.emu, w.home, 'reads', { 'a.txt': 'a\n' });
    await w.emu.clearLog();
    await ok(w.home, ['ls-remote', remote]);
    await ok(w.home, ['clone', '-q', '--filter=blob:none', '--no-checkout', remote, 'reads']);
    const blob = (await ok(w.home, ['rev-parse', 'HEAD:a.txt'], 'reads')).stdout.trim();
    expect((await ok(w.home, ['cat-file', '-p', blob], 'reads')).stdout).toBe('a\n');
    await ok(w.home, ['fetch', '-q'], 'reads');
    const log = await settledLog(w.emu);
    // Four git-remote-http processes: ls-remote, clone, the lazy fetch, fetch.
    expectOneChallengePerProcess(log, 4, atLeast(git, 2, 46));
    expect(new Set(gitRequests(log).filter((r) => r.tokenId).map((r) => `${r.scope} ${r.auth}`))).toEqual(new Set(['read basic']));
    expect(mints(log).map((m) => m.scope)).toEqual(['read']);
  });

  // With proactiveAuth, git-remote-http asks for credentials as it starts (http_init() in
  // https://github.com/git/git/blob/master/http.c), before git-remote-artifacts has seen
  // `list for-push`: the wrapper sets proactiveAuth=none for its child, so a push is challenged
  // once and its credential helper knows it pushes (a write token, never the cached read one).
  it('a push through pushInsteadOf gets a write token, challenged once', async () => {
    const remote = await seededRepo(w.emu, w.home, 'push', { 'a.txt': 'a\n' });
    await ok(w.home, ['ls-remote', remote]); // a read token in the cache, as after any fetch
    await localRepo(w.home, 'push-big', { 'big.bin': incompressible(1_500_000) });
    await w.emu.clearLog();
    const pushed = await w.home.git(['push', '-q', remote, 'HEAD:refs/heads/big'], { cwd: path.join(w.home.dir, 'push-big') });
    expect(pushed.code, pushed.stderr).toBe(0);
    const log = await settledLog(w.emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectOneChallengePerProcess(log, 1, false);
  });
});
