// Where configure writes when the global gitconfig is a symlink: where git writes (its
// lockfile.c follows the link, even a dangling one, up to 5 deep), keeping the link.
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configTarget, maxSymlinkDepth, readConfig, writeConfig } from '../../../src/gitconfig/global-file.js';
import { ArtifactsError } from '../../../src/errors.js';
// Link tests skip where links cannot be made (Wine 8; Windows without Developer Mode): see test/support/symlinks.ts.
import { symlinksWork } from '../../support/symlinks.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gitconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (...p: string[]) => path.join(dir, ...p);

describe('configTarget', () => {
  it('a regular file or a missing one is itself', async () => {
    writeFileSync(at('gc'), '');
    expect(await configTarget(at('gc'))).toBe(at('gc'));
    expect(await configTarget(at('missing'))).toBe(at('missing'));
  });
  it.skipIf(!symlinksWork)('follows a dangling relative link, relative to the link', async () => {
    mkdirSync(at('home'));
    mkdirSync(at('home', 'dotfiles'));
    symlinkSync('dotfiles/gitconfig', at('home', '.gitconfig'));
    const target = await configTarget(at('home', '.gitconfig'));
    expect(target).toBe(at('home', 'dotfiles/gitconfig'));
    await writeConfig(target, '[user]\n');
    expect(lstatSync(at('home', '.gitconfig')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('home', 'dotfiles', 'gitconfig'), 'utf8')).toBe('[user]\n');
  });
  it.skipIf(!symlinksWork)('follows a chain of absolute and relative links', async () => {
    mkdirSync(at('a'));
    mkdirSync(at('b'));
    writeFileSync(at('b', 'real'), 'x');
    symlinkSync(at('a', 'two'), at('one'));
    symlinkSync('../b/real', at('a', 'two'));
    expect(await configTarget(at('one'))).toBe(`${at('a')}/../b/real`); // not normalised, as git does
    expect((await readConfig(await configTarget(at('one')))).text).toBe('x');
  });
  it.skipIf(!symlinksWork)(`follows ${maxSymlinkDepth} links, and refuses a longer chain or a loop`, async () => {
    writeFileSync(at('l0'), 'x');
    for (let i = 1; i <= maxSymlinkDepth + 1; i++) symlinkSync(`l${i - 1}`, at(`l${i}`));
    expect(await configTarget(at(`l${maxSymlinkDepth}`))).toBe(at('l0'));
    await expect(configTarget(at(`l${maxSymlinkDepth + 1}`))).rejects.toThrow(/more than 5 symbolic links/);
    symlinkSync('loop-b', at('loop-a'));
    symlinkSync('loop-a', at('loop-b'));
    await expect(configTarget(at('loop-a'))).rejects.toThrow(ArtifactsError);
  });
});

describe('writeConfig', () => {
  it('says which directory is missing instead of failing with a stack', async () => {
    await expect(writeConfig(at('no', 'such', 'gc'), 'x')).rejects.toThrow(ArtifactsError);
    await expect(writeConfig(at('no', 'such', 'gc'), 'x')).rejects.toThrow(/cannot create .*gc\.lock: it does not exist \(ENOENT\)/);
  });
  it.skipIf(process.platform === 'win32')('keeps the mode of the file it replaces (POSIX modes; Windows has none)', async () => {
    writeFileSync(at('gc'), 'a', { mode: 0o600 });
    await writeConfig(at('gc'), 'b');
    expect(lstatSync(at('gc')).mode & 0o777).toBe(0o600);
    expect(readFileSync(at('gc'), 'utf8')).toBe('b');
  });
});
