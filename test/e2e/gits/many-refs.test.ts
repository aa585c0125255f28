// Many refs in one push (a mirror, a release script, a migration): one receive-pack request
// carries every ref update, and one clone brings all of them back.
import { describe, expect, it } from 'vitest';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredWorld, expectOneChallengePerProcess, localRepo, mints, ok, settledLog } from './support.js';

const branches = 200;
const tags = 200;

describe.each(gitsUnderTest())('many refs at once with $label', (git) => {
  const w = configuredWorld(git);


  it(`${branches} branches and ${tags} tags in one push, all back in one clone`, async () => {
    const { remote } = await w.emu.createRepo('default', 'many-refs');
    await localRepo(w.home, 'local', { 'a.txt': 'a\n' });
    // A commit of its own per branch (fast-import: one process, not 200 commits) and a tag each.
    const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
    const stream = Array.from({ length: branches }, (_, i) =>
      [`commit refs/heads/b-${i}`, `committer T <t@example.invalid> ${1_700_000_000 + i} +0000`, data(`b-${i}`), 'from refs/heads/main', `M 644 inline f-${i}.txt`, data(`${i}\n`), ''].join('\n'),
    ).join('\n');
    await ok(w.home, ['fast-import', '--quiet'], 'local', { input: stream });
    const tagLines = Array.from({ length: tags }, (_, i) => `create refs/tags/v${i} refs/heads/b-${i}`).join('\n');
    await ok(w.home, ['update-ref', '--stdin'], 'local', { input: `${tagLines}\n` });
    await ok(w.home, ['remote', 'add', 'origin', remote], 'local');
    const local = await ok(w.home, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], 'local');
    expect(local.stdout.trim().split('\n')).toHaveLength(branches + tags + 1);

    await w.emu.clearLog();
    await ok(w.home, ['push', '-q', 'origin', 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], 'local');
    const log = await settledLog(w.emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectOneChallengePerProcess(log, 1, false); // a push: git-remote-artifacts' child is always challenged

    const listed = await ok(w.home, ['ls-remote', '--heads', '--tags', remote]);
    expect(listed.stdout.trim().split('\n')).toHaveLength(branches + tags + 1);
    await ok(w.home, ['clone', '-q', '--mirror', remote, 'back.git']);
    const back = await ok(w.home, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], 'back.git');
    expect(back.stdout).toBe(local.stdout);
  });
});
