// Telling our single executable (a Bun-compiled binary) from a script run by a runtime.
import { describe, expect, it } from 'vitest';
import { helperCommand, configValue, parseHelperCommand } from '../../../src/gitconfig/helper-command.js';
import { helperPath, isSingleExecutable, selfCommand } from '../../../src/self.js';

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
    expect(selfCommand(__filename)).toEqual([helperPath(process.execPath), helperPath(__filename)]); // forward slashes on Windows
  });
});

// What configure writes for a Windows install, on every OS: the platform is a parameter.
describe('helperPath and the helper line for Git for Windows', () => {
  it.each([
    ['C:\\Users\\me\\AppData\\Local\\Programs\\git-credential-artifacts\\git-credential-artifacts.exe', 'win32',
      'C:/Users/me/AppData/Local/Programs/git-credential-artifacts/git-credential-artifacts.exe'],
    ['C:\\Program Files\\nodejs\\node.exe', 'win32', 'C:/Program Files/nodejs/node.exe'],
    ['D:\\o\'brien\\x.exe', 'win32', "D:/o'brien/x.exe"],
    ['\\\\server\\share\\x.exe', 'win32', '//server/share/x.exe'],
    ['/usr/bin/node', 'linux', '/usr/bin/node'],
    ['/Users/a\\b/node', 'darwin', '/Users/a\\b/node'], // a backslash is a file name character there
  ] as const)('%s on %s: %s', (given, platform, want) => {
    expect(helperPath(given, platform)).toBe(want);
  });

  it.each([
    ['C:/Users/me/AppData/Local/Programs/git-credential-artifacts/git-credential-artifacts.exe',
      "!f() { case \"$1\" in get|erase) exec C:/Users/me/AppData/Local/Programs/git-credential-artifacts/git-credential-artifacts.exe --account a \"$@\" ;; esac; }; f"],
    ['C:/Program Files/git-credential-artifacts/git-credential-artifacts.exe',
      "!f() { case \"$1\" in get|erase) exec 'C:/Program Files/git-credential-artifacts/git-credential-artifacts.exe' --account a \"$@\" ;; esac; }; f"],
  ])('%s: a line sh runs as that argv, and parseHelperCommand reads back', (exe, line) => {
    const value = helperCommand([exe], ['--account', 'a']);
    expect(value).toBe(line);
    expect(parseHelperCommand(value)).toEqual([exe, '--account', 'a']);
    expect(configValue(value)).not.toMatch(/\\\\/); // no backslash to survive two layers of quoting
  });
});
