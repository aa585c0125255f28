import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isArtifactsError } from '../../../src/errors.js';
import { OperationFile, formatOperation, operationFileEnv, operationScope, parseOperation, parseOperationFile, sweepStale } from '../../../src/operation-file.js';

const posix = process.platform !== 'win32';
let base: string;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'opfile-'));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('format and parse', () => {
  it.each([
    { text: 'write\n', want: 'write' },
    { text: 'read\n', want: 'read' },
    { text: ' write \r\n', want: 'write' },
    { text: '', want: undefined },
    { text: 'WRITE\n', want: undefined },
    { text: 'write\nwrite\n', want: undefined },
    { text: 'admin\n', want: undefined },
  ])('parseOperation($text) is $want', ({ text, want }) => {
    expect(parseOperation(text)).toBe(want);
  });

  it('parses what it formats', () => {
    for (const scope of ['read', 'write'] as const) expect(parseOperation(formatOperation(scope))).toBe(scope);
    expect(parseOperationFile(formatOperation('write', 'create'))).toEqual({ scope: 'write', create: 'create' });
    expect(parseOperationFile(formatOperation('write', 'no-create'))).toEqual({ scope: 'write', create: 'no-create' });
    // A read never carries a create mode: a fetch never creates.
    expect(formatOperation('read', 'create')).toBe('read\n');
  });

  // Whether a push may create a missing repo (issue 23) rides on the write line, and only there.
  it.each([
    { text: 'write\ncreate\n', want: { scope: 'write', create: 'create' } },
    { text: 'write\nno-create\n', want: { scope: 'write', create: 'no-create' } },
    { text: 'write\n', want: { scope: 'write', create: undefined } },
    { text: 'read\n', want: { scope: 'read', create: undefined } },
    { text: 'read\ncreate\n', want: undefined },
    { text: 'write\nmaybe\n', want: undefined },
    { text: 'write\ncreate\ncreate\n', want: undefined },
    { text: 'write\nCREATE\n', want: undefined },
  ])('parseOperationFile($text) is $want', ({ text, want }) => {
    expect(parseOperationFile(text)).toEqual(want);
  });

  it('names no scope for any other text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const got = parseOperation(s);
        return got === undefined || s.trim().split('\n')[0] === got;
      }),
    );
  });
});

describe('OperationFile and operationScope', () => {
  it('is a private file in a private session dir under the token cache, that the credential helper accepts, and goes away', () => {
    const op = new OperationFile({ ARTIFACTS_CACHE_DIR: path.join(base, 'cache') });
    expect(path.dirname(op.dir)).toBe(path.join(base, 'cache', 'sessions'));
    if (posix) {
      for (const d of [path.join(base, 'cache'), path.join(base, 'cache', 'sessions'), op.dir]) expect(lstatSync(d).mode & 0o777).toBe(0o700);
      expect(lstatSync(op.file).mode & 0o777).toBe(0o600);
    }
    const env = { [operationFileEnv]: op.file };
    expect(operationScope(env)).toEqual({ scope: 'read', source: 'default (operation not recorded)' });
    op.record('write');
    expect(readFileSync(op.file, 'utf8')).toBe('write\n');
    expect(operationScope(env)).toEqual({ scope: 'write', source: 'git-remote-artifacts' });
    op.record('write', 'no-create');
    expect(operationScope(env)).toEqual({ scope: 'write', source: 'git-remote-artifacts', create: 'no-create' });
    op.record('read');
    expect(operationScope(env)).toEqual({ scope: 'read', source: 'git-remote-artifacts' });
    op.remove();
    expect(existsSync(op.dir)).toBe(false);
    expect(operationScope(env)).toEqual({ scope: 'read', source: 'default (operation file unreadable)' });
  });

  it.skipIf(!posix)('refuses a cache dir that is a symlink, as the token cache does: nothing is made where it points', () => {
    const real = path.join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, path.join(base, 'link'));
    let err: unknown;
    try {
      new OperationFile({ ARTIFACTS_CACHE_DIR: path.join(base, 'link') });
    } catch (e) {
      err = e;
    }
    expect(isArtifactsError(err) && (err as { code: string }).code).toBe('cache.unsafe');
    expect(readdirSync(real)).toEqual([]);
  });

  it('fails as an ArtifactsError with a hint when the cache dir cannot hold it', () => {
    const file = path.join(base, 'not-a-dir');
    writeFileSync(file, '');
    let err: unknown;
    try {
      new OperationFile({ ARTIFACTS_CACHE_DIR: path.join(file, 'cache') });
    } catch (e) {
      err = e;
    }
    expect(isArtifactsError(err)).toBe(true);
    expect((err as Error).message).toContain(file);
    expect((err as { hint: string }).hint).toMatch(/ARTIFACTS_CACHE_DIR/);
  });

  it('sweeps what killed sessions left: an old answer, a day-old session dir; not a live one', () => {
    const cache = path.join(base, 'cache');
    const now = Date.now();
    const live = new OperationFile({ ARTIFACTS_CACHE_DIR: cache });
    const killed = new OperationFile({ ARTIFACTS_CACHE_DIR: cache });
    const ancient = new OperationFile({ ARTIFACTS_CACHE_DIR: cache });
    writeFileSync(path.join(live.dir, 'answer'), 'password=fresh\n', { mode: 0o600 });
    writeFileSync(path.join(killed.dir, 'answer'), 'password=old\n', { mode: 0o600 });
    const tenMinutes = new Date(now - 11 * 60_000);
    utimesSync(path.join(killed.dir, 'answer'), tenMinutes, tenMinutes);
    const day = new Date(now - 25 * 3600_000);
    utimesSync(ancient.dir, day, day);
    sweepStale(path.dirname(live.dir), now);
    expect(existsSync(path.join(live.dir, 'answer'))).toBe(true);
    expect(existsSync(path.join(killed.dir, 'answer'))).toBe(false);
    expect(existsSync(killed.file)).toBe(true);
    expect(existsSync(ancient.dir)).toBe(false);
    live.remove();
    killed.remove();
  });

  const write = (name: string, body: string, mode = 0o600) => {
    const file = path.join(base, name);
    writeFileSync(file, body, { mode });
    chmodSync(file, mode);
    return file;
  };

  it.each([
    { what: 'no variable', env: () => ({}), want: { scope: 'read', source: 'default' } },
    { what: 'a relative path', env: () => ({ [operationFileEnv]: 'operation' }), want: { scope: 'read', source: 'default' } },
    { what: 'a missing file', env: () => ({ [operationFileEnv]: path.join(base, 'gone') }), want: { scope: 'read', source: 'default (operation file unreadable)' } },
    { what: 'a private file saying write', env: () => ({ [operationFileEnv]: write('op', 'write\n') }), want: { scope: 'write', source: 'git-remote-artifacts' } },
    { what: 'a longer file', env: () => ({ [operationFileEnv]: write('op', `write\n${'x'.repeat(100)}`) }), want: { scope: 'read', source: 'default (operation not recorded)' } },
    { what: 'a directory', env: () => (mkdirSync(path.join(base, 'd')), { [operationFileEnv]: path.join(base, 'd') }), want: { scope: 'read', source: 'default (operation file not private)' } },
  ])('$what', ({ env, want }) => {
    expect(operationScope(env())).toEqual(want);
  });

  it.skipIf(!posix)('refuses a file others may read, a symlink and a FIFO (without blocking)', () => {
    const open = write('open', 'write\n', 0o644);
    expect(operationScope({ [operationFileEnv]: open })).toEqual({ scope: 'read', source: 'default (operation file not private)' });
    const target = write('target', 'write\n');
    const link = path.join(base, 'link');
    symlinkSync(target, link);
    expect(operationScope({ [operationFileEnv]: link })).toEqual({ scope: 'read', source: 'default (operation file unreadable)' });
    const fifo = path.join(base, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(operationScope({ [operationFileEnv]: fifo })).toEqual({ scope: 'read', source: 'default (operation file not private)' });
  });
});
