// Telling our single executable (a Bun-compiled binary) from a script run by a runtime.
import { describe, expect, it } from 'vitest';
import { isSingleExecutable, selfCommand } from '../../../src/gitconfig/self.js';

describe('isSingleExecutable', () => {
  it.each([
    ['/$bunfs/root/git-credential-artifacts', '1.4.5', true],
    ['B:\\~BUN\\root\\git-credential-artifacts.exe', '1.4.5', true],
    ['B:/~BUN/root/git-credential-artifacts.exe', '1.4.5', true],
    // `bun dist/git-credential-artifacts.cjs`: a real file, so not the single executable.
    ['/home/u/.local/lib/node_modules/git-credential-artifacts/dist/git-credential-artifacts.cjs', '1.4.5', false],
    // Node never has $bunfs, whatever argv[1] says.
    ['/$bunfs/root/git-credential-artifacts', undefined, false],
    ['/usr/lib/node_modules/x/dist/git-credential-artifacts.cjs', undefined, false],
    [undefined, '1.4.5', false],
    ['/tmp/$bunfs/root/x', '1.4.5', false],
  ])('argv[1] %s under bun %s: %s', (argv1, bun, want) => {
    expect(isSingleExecutable(argv1, bun)).toBe(want);
  });
});

describe('selfCommand', () => {
  // Under Node; inside the Bun binary it is [execPath] (cmd/sea.ts, checked by the e2e suite).
  it('this Node with the real path of the script', () => {
    expect(selfCommand(__filename)).toEqual([process.execPath, __filename]);
  });
});
