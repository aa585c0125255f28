// Many refs in one push (a mirror, a release script, a migration): one receive-pack request
// carries every ref update, and one clone brings all of them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';
import { configuredHome, expectOneChallengePerProcess, localRepo, mints, ok, settledLog } from './support.js';

const branches = 200;
const tags = 200;

describe.each(gitsUnderTest())('many refs at once with $label', (git) => {
  let emu: Emulator;
  let home: GitHome;

  beforeAll(async () => {
    emu = await startEmulator();
    home = await configuredHome(git, emu);
  });
  afterAll(async () => {
    await emu?.stop();
    home?.cleanup();
  });

  it(`${branches} branches and ${tags} tags in one push, all back in one clone`, async () => {
    const { remote } = await emu.createRepo('default', 'many-refs');
    await localRepo(home, 'local', { 'a.txt': 'a\n' });
    // A commit of its own per branch (fast-import: one process, not 200 commits) and a tag each.
    const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
    const stream = Array.from({ length: branches }, (_, i) =>
      [`commit refs/heads/b-${i}`, `committer T <t@example.invalid> ${1_700_000_000 + i} +0000`, data(`b-${i}`), 'from refs/heads/main', `M 644 inline f-${i}.txt`, data(`${i}\n`), ''].join('\n'),
    ).join('\n');
    await ok(home, ['fast-import', '--quiet'], 'local', { input: stream });
    const tagLines = Array.from({ length: tags }, (_, i) => `create refs/tags/v${i} refs/heads/b-${i}`).join('\n');
    await ok(home, ['update-ref', '--stdin'], 'local', { input: `${tagLines}\n` });
    await ok(home, ['remote', 'add', 'origin', remote], 'local');
    const local = await ok(home, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], 'local');
    expect(local.stdout.trim().split('\n')).toHaveLength(branches + tags + 1);

    await emu.clearLog();
    await ok(home, ['push', '-q', 'origin', 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], 'local');
    const log = await settledLog(emu);
    expect(mints(log).map((m) => m.scope)).toEqual(['write']);
    expectOneChallengePerProcess(log, 1, false); // a push: git-remote-artifacts' child is always challenged

    const listed = await ok(home, ['ls-remote', '--heads', '--tags', remote]);
    expect(listed.stdout.trim().split('\n')).toHaveLength(branches + tags + 1);
    await ok(home, ['clone', '-q', '--mirror', remote, 'back.git']);
    const back = await ok(home, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], 'back.git');
    expect(back.stdout).toBe(local.stdout);
  });
});
