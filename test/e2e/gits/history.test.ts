// Rewritten history between two clones: a fetch after someone else's force-push, and
// --force-with-lease, whose compare-and-swap git hands to the remote helper as `option cas`
// (https://git-scm.com/docs/gitremote-helpers#Documentation/gitremote-helpers.txt-optioncasrefnameexpected).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, localRepo, ok } from './support.js';

describe.each(gitsUnderTest())('rewritten history with $label', (git) => {
  const w = configuredWorld(git);
  let n = 0;
  const head = async (dir: string, rev = 'HEAD') => (await ok(w.home, ['rev-parse', rev], dir)).stdout.trim();
  const serverMain = async (remote: string) => (await ok(w.home, ['ls-remote', remote, 'refs/heads/main'])).stdout.split('\t')[0];
  const lastPushAt = async (remote: string) => {
    const name = path.basename(remote, '.git');
    const r = await w.emu.rest<{ last_push_at: string | null }>('GET', `${w.emu.nsUrl('default').slice(w.emu.url.length)}/repos/${name}`);
    expect(r.status).toBe(200);
    return r.body.result.last_push_at;
  };
  const commit = async (dir: string, file: string, amend = false) => {
    await ok(w.home, ['commit', '-q', '--allow-empty', ...(amend ? ['--amend'] : []), '-m', file], dir);
    return head(dir);
  };

  /** A repo with one commit on main, and two clones of it, `a` and `b`. */
  const twoClones = async () => {
    const name = `hist-${++n}`;
    const { remote } = await w.emu.createRepo('default', name);
    await localRepo(w.home, `${name}-seed`, { 'f.txt': 'one\n' });
    await ok(w.home, ['push', '-q', remote, 'HEAD:refs/heads/main'], `${name}-seed`);
    await ok(w.home, ['clone', '-q', remote, `${name}-a`]);
    await ok(w.home, ['clone', '-q', remote, `${name}-b`]);
    return { remote, a: `${name}-a`, b: `${name}-b` };
  };


  it('a fetch after another clone force-pushed a rewritten main gets the new history', async () => {
    const { remote, a, b } = await twoClones();
    await commit(a, 'two');
    await ok(w.home, ['push', '-q'], a);
    await ok(w.home, ['fetch', '-q'], b);
    const rewritten = await commit(a, 'two, reworded', true);
    await ok(w.home, ['push', '-q', '--force', 'origin', 'main'], a);
    expect(await serverMain(remote)).toBe(rewritten);

    const fetched = await ok(w.home, ['fetch', 'origin'], b);
    expect(fetched.stderr).toMatch(/\+ \S+\.\.\.\S+ +main +-> origin\/main +\(forced update\)/);
    expect(await head(b, 'origin/main')).toBe(rewritten);
    await ok(w.home, ['reset', '-q', '--hard', 'origin/main'], b);
    expect(await head(b)).toBe(rewritten);
  });

  it('a stale --force-with-lease is refused and changes nothing; a fresh lease succeeds', async () => {
    const { remote, a, b } = await twoClones();
    const theirs = await commit(a, 'theirs');
    await ok(w.home, ['push', '-q'], a);
    // b has not fetched: its origin/main (the lease) is stale.
    const mine = await commit(b, 'mine, rewritten', true);
    const pushedAt = await lastPushAt(remote);
    const stale = await w.home.git(['push', '--force-with-lease', 'origin', 'main'], { cwd: path.join(w.home.dir, b) });
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/\[rejected\] +main -> main \(stale info\)/);
    expect(await serverMain(remote)).toBe(theirs);
    // git refused before sending any pack: the server saw no push at all.
    expect(await lastPushAt(remote)).toBe(pushedAt);

    await ok(w.home, ['fetch', '-q'], b);
    await ok(w.home, ['push', '-q', '--force-with-lease', 'origin', 'main'], b);
    expect(await serverMain(remote)).toBe(mine);
  });
});
