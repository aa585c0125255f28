import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteCache, remoteTtlMs } from '../../../src/remote/remote-cache.js';

const key = { apiUrl: 'http://127.0.0.1:1/client/v4', account: 'a', namespace: 'default', repo: 'demo' };
const remote = 'http://127.0.0.1:1/git/default/demo.git';
let dir: string;
beforeEach(() => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');
});
afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('RemoteCache', () => {
  it('returns what was written until the TTL passes', () => {
    const cache = new RemoteCache(dir);
    expect(cache.read(key, 1000)).toBeUndefined();
    cache.write(key, remote, 1000);
    expect(cache.read(key, 1000 + remoteTtlMs - 1)).toBe(remote);
    expect(cache.read(key, 1000 + remoteTtlMs)).toBeUndefined();
    expect(cache.read({ ...key, repo: 'other' }, 1000)).toBeUndefined();
    expect(cache.read({ ...key, account: 'b' }, 1000)).toBeUndefined();
    if (process.platform !== 'win32') {
      expect(lstatSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) expect(lstatSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
  });

  it('treats a corrupt entry as missing', () => {
    const cache = new RemoteCache(dir);
    cache.write(key, remote, 1000);
    const [file] = readdirSync(dir);
    writeFileSync(path.join(dir, file!), '{not json');
    expect(cache.read(key, 1000)).toBeUndefined();
  });

  it.runIf(process.platform !== 'win32')('refuses an entry others can write', () => {
    const cache = new RemoteCache(dir);
    cache.write(key, remote, 1000);
    const [file] = readdirSync(dir);
    chmodSync(path.join(dir, file!), 0o666);
    expect(() => cache.read(key, 1000)).toThrow(/readable by others/);
  });
});
