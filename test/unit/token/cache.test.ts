import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryName, keyString, TokenCache, type CacheKey } from '../../../src/token/cache.js';
import { acquireLock } from '../../../src/token/lock.js';
import { noSymlinks, symlinksWork } from '../../support/symlinks.js';

const key: CacheKey = { origin: 'https://0123456789abcdef0123456789abcdef.artifacts.cloudflare.net', apiUrl: 'https://api.example/client/v4', account: 'a', namespace: 'ns', repo: 'r', scope: 'read' };
const token = { plaintext: 'secret?expires=2000000000', secret: 'secret', expiresAt: 2_000_000_000, id: 'id1' };
let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
  dir = path.join(root, 'tokens');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('TokenCache', () => {
  it('round-trips, leaving no temp files; with a 0700 directory and 0600 files on POSIX (Windows has no modes)', () => {
    const cache = new TokenCache(dir);
    cache.write(key, token);
    expect(cache.read(key)).toEqual(token);
    expect(readdirSync(dir)).toEqual([entryName(key)]);
    if (process.platform === 'win32') return;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, entryName(key))).mode & 0o777).toBe(0o600);
  });

  it('keeps scopes, repos and endpoints apart', () => {
    const cache = new TokenCache(dir);
    cache.write(key, token);
    for (const other of [{ scope: 'write' }, { repo: 'r2' }, { namespace: 'ns2' }, { account: 'b' }, { apiUrl: 'http://127.0.0.1:1/client/v4' }, { origin: 'http://127.0.0.1:2' }, { origin: 'https://ffffffffffffffffffffffffffffffff.artifacts.cloudflare.net' }]) {
      expect(cache.read({ ...key, ...other } as CacheKey)).toBeUndefined();
    }
  });

  it.each([
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ v: 2 })],
    ['another key', JSON.stringify({ v: 1, key: 'x', ...token })],
    ['CR LF in the token (would add protocol lines)', JSON.stringify({ v: 1, key: keyString(key), ...token, plaintext: 'secret\r\nhost=evil?expires=2000000000' })],
    ['NUL in the secret', JSON.stringify({ v: 1, key: keyString(key), ...token, plaintext: 'sec\0ret', secret: 'sec\0ret' })],
    ['escape sequence in the id', JSON.stringify({ v: 1, key: keyString(key), ...token, id: 'a\u001b[2J' })],
    ['a fractional expiry', JSON.stringify({ v: 1, key: keyString(key), ...token, expiresAt: 1.5 })],
    ['an empty secret', JSON.stringify({ v: 1, key: keyString(key), ...token, secret: '' })],
    ['secret not a prefix of the token', JSON.stringify({ v: 1, key: keyString(key), ...token, secret: 'other' })],
  ])('discards a corrupt entry (%s)', (_name, body) => {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, entryName(key));
    writeFileSync(file, body, { mode: 0o600 });
    expect(new TokenCache(dir).read(key)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });

  it('every valid name fits NAME_MAX: a 255-character repo name round-trips', () => {
    const long = { ...key, repo: 'r'.repeat(255), namespace: 'n'.repeat(63) };
    const cache = new TokenCache(dir);
    cache.write(long, token);
    expect(cache.read(long)).toEqual(token);
    expect(entryName(long)).toMatch(/^[0-9a-f]{64}\.json$/);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO entry at once instead of blocking on it (POSIX-only: Windows has no FIFOs in the file system)', () => {
    mkdirSync(dir, { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', path.join(dir, entryName(key))]);
    expect(() => new TokenCache(dir).read(key)).toThrow(/not a regular file/);
  });

  it.skipIf(!symlinksWork)('refuses a symlinked entry (skipped where: ' + noSymlinks + ')', () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(root, 'elsewhere'), 'x', { mode: 0o600 });
    symlinkSync(path.join(root, 'elsewhere'), path.join(dir, entryName(key)));
    expect(() => new TokenCache(dir).read(key)).toThrow(/symlink/);
  });

  it.skipIf(!symlinksWork)('refuses a symlinked directory on write (skipped where: ' + noSymlinks + ')', () => {
    mkdirSync(path.join(root, 'real'), { mode: 0o700 });
    symlinkSync(path.join(root, 'real'), dir);
    expect(() => new TokenCache(dir).write(key, token)).toThrow(/unsafe/);
  });

  it.skipIf(process.platform === 'win32')('refuses an entry others can read (POSIX modes; on Windows the folder ACL protects it)', () => {
    const cache = new TokenCache(dir);
    cache.write(key, token);
    chmodSync(path.join(dir, entryName(key)), 0o644);
    expect(() => cache.read(key)).toThrow(/readable by others/);
  });

  it.skipIf(process.platform === 'win32')('tightens a directory that is too open (POSIX modes; on Windows the folder ACL protects it)', () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    new TokenCache(dir).write(key, token);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('erase removes only a matching secret', () => {
    const cache = new TokenCache(dir);
    cache.write(key, token);
    expect(cache.removeIfSecret(key, 'other')).toBe(false);
    expect(cache.read(key)).toEqual(token);
    expect(cache.removeIfSecret(key, 'secret')).toBe(true);
    expect(cache.read(key)).toBeUndefined();
  });
});

/** A clock that moves only when the lock waits: deadlines and staleness without waiting. */
function fakeClock(start = Date.now()) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), at: () => t };
}

describe('acquireLock', () => {
  it('is exclusive until released, and a waiter gives up at its deadline', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'k.lock');
    const clock = fakeClock();
    const release = await acquireLock(file, { deadline: clock.now() + 1000, staleMs: 10_000, ...clock });
    const deadline = clock.now() + 100;
    await expect(acquireLock(file, { deadline, staleMs: 10_000, ...clock })).rejects.toThrow(/timed out/);
    expect(clock.at()).toBeGreaterThanOrEqual(deadline); // it waited (on the fake clock) until then
    release!();
    const again = await acquireLock(file, { deadline: clock.now() + 100, staleMs: 10_000, ...clock });
    expect(again).toBeTypeOf('function');
    again!();
  });

  it('takes over a lock whose owner died', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'k.lock');
    writeFileSync(file, `999999999 ${os.hostname()} ${Date.now()}`);
    const release = await acquireLock(file, { deadline: Date.now() + 1000, staleMs: 60_000 });
    expect(release).toBeTypeOf('function');
    release!();
  });

  it('takes over a lock older than staleMs', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'k.lock');
    writeFileSync(file, `${process.pid} ${os.hostname()} 0`);
    // A minute later on the lock's clock: the file (mtime now) is far older than staleMs.
    const later = Date.now() + 60_000;
    const release = await acquireLock(file, { deadline: later + 1000, staleMs: 10, now: () => later });
    expect(release).toBeTypeOf('function');
    release!();
  });

  it('ends the wait when the work is done elsewhere', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'k.lock');
    const held = await acquireLock(file, { deadline: Date.now() + 1000, staleMs: 10_000 });
    let polls = 0;
    const r = await acquireLock(file, { deadline: Date.now() + 1000, staleMs: 10_000, satisfied: () => ++polls > 2 });
    expect(r).toBeUndefined();
    held!();
  });
});
