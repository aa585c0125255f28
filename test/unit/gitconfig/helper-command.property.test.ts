// parseHelperCommand is the inverse of helperCommand, and nothing else parses: properties over
// any argv, and a table of near misses (hand-edited or foreign helper values).
import { noSh, shRuns } from '../../support/tools.js';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helperCommand, parseHelperCommand } from '../../../src/gitconfig/helper-command.js';

const word = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', '.', '-', '_', ' ', "'", '"', '\\', '$', '`', '*', ';', '\t', 'é', '=', ':'), maxLength: 12 });
const argv = fc.array(word, { minLength: 1, maxLength: 6 });

describe('parseHelperCommand', () => {
  it('gives back the argv helperCommand quoted, for any words', () => {
    fc.assert(
      fc.property(argv, fc.array(word, { maxLength: 4 }), (self, args) => {
        expect(parseHelperCommand(helperCommand(self, args))).toEqual([...self, ...args]);
      }),
      { numRuns: 500 },
    );
  });

  it.skipIf(!shRuns)('agrees with sh: the words it returns are the words sh passes to exec (skipped where: ' + noSh + ')', () => {
    fc.assert(
      fc.property(argv, (words) => {
        const parsed = parseHelperCommand(helperCommand(['printf', '%s\\0'], words))!;
        // Run the very snippet with printf in place of the helper: sh's own word split.
        const snippet = helperCommand(['printf', '%s\\0'], words).slice(1);
        const r = spawnSync('sh', ['-c', `${snippet} "$@"`, 'sh', 'get'], { encoding: 'utf8' });
        expect(r.stdout.split('\0').slice(0, -1)).toEqual([...parsed.slice(2), 'get']);
      }),
      { numRuns: 60 },
    );
  }, 60_000); // real sh runs: allow a loaded runner

  it.skipIf(!shRuns)('with a heal dir: gives back the argv, and sh `store` leaves c-<its parent pid> in that dir, for any dir name (skipped where: ' + noSh + ')', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'heal-dir-'));
    try {
      fc.assert(
        fc.property(argv, word.filter((w) => w.length > 0 && !w.includes('/')), (self, name) => {
          const dir = path.join(base, name);
          mkdirSync(dir, { recursive: true });
          const value = helperCommand(self, ['--heal-dir', dir]);
          expect(parseHelperCommand(value)).toEqual([...self, '--heal-dir', dir]);
          // sh's $PPID is this test's node: the process that ran sh, as git's transport is for the real line.
          const r = spawnSync('sh', ['-c', `${value.slice(1)} "$@"`, 'sh', 'store'], { encoding: 'utf8' });
          expect(r.stderr).toBe('');
          expect(existsSync(path.join(dir, `c-${process.pid}`))).toBe(true);
          rmSync(path.join(dir, `c-${process.pid}`));
        }),
        { numRuns: 40 },
      );
      // No dir: store stays quiet (git would print a helper's stderr).
      const quiet = spawnSync('sh', ['-c', `${helperCommand(['x'], ['--heal-dir', path.join(base, 'gone', 'x')]).slice(1)} "$@"`, 'sh', 'store'], { encoding: 'utf8' });
      expect(quiet.stderr).toBe('');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 60_000); // 40 real sh runs: allow a loaded runner

  it('a store branch that is not exactly the one for the argv\'s own --heal-dir is not ours', () => {
    const value = helperCommand(['/bin/x'], ['--heal-dir', '/home/u/served']);
    expect(value).toContain('/home/u/served/c-"$PPID"');
    expect(parseHelperCommand(value.replace('/home/u/served/c-', '/tmp/c-'))).toBeUndefined();
    expect(parseHelperCommand(value.replace('2>/dev/null ;;', '2>/dev/null; id ;;'))).toBeUndefined();
    expect(parseHelperCommand(helperCommand(['/bin/x'], []).replace('/bin/x', '/bin/x --heal-dir /d'))).toBeUndefined();
  });

  it.each([
    ['no prefix', '/usr/bin/git-credential-artifacts'],
    ['another helper', '!f() { echo password=x; }; f'],
    ['an unquoted metacharacter', '!f() { case "$1" in get|erase) exec /bin/x $(id) "$@" ;; esac; }; f'],
    ['an unterminated quote', `!f() { case "$1" in get|erase) exec '/bin/x "$@" ;; esac; }; f`],
    ['two spaces', '!f() { case "$1" in get|erase) exec /bin/x  --y "$@" ;; esac; }; f'],
    ['something after', '!f() { case "$1" in get|erase) exec /bin/x "$@" ;; esac; }; f; id'],
    ['empty command', '!f() { case "$1" in get|erase) exec  "$@" ;; esac; }; f'],
  ])('%s: undefined', (_name, value) => {
    expect(parseHelperCommand(value)).toBeUndefined();
  });
});
