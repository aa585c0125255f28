// How a command starts on Windows when PATH finds a batch file: the platform is a parameter,
// so these rows run on every OS.
import { describe, expect, it } from 'vitest';
import { batchOnPath, spawnPlan } from '../../../src/batch-file.js';

const env = { PATH: 'C:\\bin;C:\\npm', PATHEXT: '.COM;.EXE;.BAT;.CMD', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };
const has = (...files: string[]) => (f: string) => files.includes(f);

describe('batchOnPath', () => {
  it.each([
    ['the .cmd shim npm installs', 'wrangler', has('C:\\npm\\wrangler.cmd'), 'win32', 'C:\\npm\\wrangler.cmd'],
    ['an .exe earlier on PATH wins', 'wrangler', has('C:\\bin\\wrangler.exe', 'C:\\npm\\wrangler.cmd'), 'win32', undefined],
    ['PATHEXT order in one directory: .EXE before .CMD', 'git', has('C:\\bin\\git.exe', 'C:\\bin\\git.cmd'), 'win32', undefined],
    ['not there', 'wrangler', has(), 'win32', undefined],
    ['a path, not a name', 'C:\\npm\\wrangler', has('C:\\npm\\wrangler.cmd'), 'win32', undefined],
    ['POSIX: never', 'wrangler', has('C:\\npm\\wrangler.cmd'), 'linux', undefined],
  ] as const)('%s', (_what, name, exists, platform, want) => {
    expect(batchOnPath(name, env, platform, exists)).toBe(want);
  });
});

describe('spawnPlan', () => {
  it('runs a batch file through cmd.exe /d /s /c, quoted, verbatim', () => {
    expect(spawnPlan(['wrangler', 'auth', 'token', '--json'], env, 'win32', has('C:\\npm\\wrangler.cmd'))).toEqual({
      argv: ['C:\\Windows\\system32\\cmd.exe', '/d', '/s', '/c', '""C:\\npm\\wrangler.cmd" auth token --json"'],
      verbatim: true,
    });
  });
  it('leaves an .exe, and every POSIX command, as given', () => {
    expect(spawnPlan(['git', 'config', '--get', 'a b'], env, 'win32', has('C:\\bin\\git.exe'))).toEqual({ argv: ['git', 'config', '--get', 'a b'], verbatim: false });
    expect(spawnPlan(['wrangler', '&calc'], env, 'linux', has('C:\\npm\\wrangler.cmd'))).toEqual({ argv: ['wrangler', '&calc'], verbatim: false });
  });
  it.each(['&calc', 'a b', '%PATH%', '"x"', 'a^b', 'x|y', '!x!', '<in', ''])('refuses an argument cmd.exe would re-parse: %j', (arg) => {
    expect(() => spawnPlan(['wrangler', arg], env, 'win32', has('C:\\npm\\wrangler.cmd'))).toThrow(/cmd\.exe would re-parse it/);
  });
  it('refuses a batch file whose path cmd.exe would re-parse', () => {
    const odd = { ...env, PATH: 'C:\\100%\\bin' };
    expect(() => spawnPlan(['wrangler', 'auth'], odd, 'win32', has('C:\\100%\\bin\\wrangler.cmd'))).toThrow(/re-parse/);
  });
});

describe('spawnPlan: cmd.exe from the environment, whatever the case of its name', () => {
  it.each([
    [{ PATH: 'C:\\npm', COMSPEC: 'C:\\windows\\system32\\cmd.exe' }, 'C:\\windows\\system32\\cmd.exe'],
    [{ Path: 'C:\\npm', SystemRoot: 'D:\\Win' }, 'D:\\Win\\System32\\cmd.exe'],
    [{ PATH: 'C:\\npm' }, 'C:\\Windows\\System32\\cmd.exe'],
  ])('%o', (e, want) => {
    expect(spawnPlan(['wrangler', 'auth'], e, 'win32', has('C:\\npm\\wrangler.cmd')).argv[0]).toBe(want);
  });
});
