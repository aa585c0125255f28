// install/release/runtimes.mjs: a release embeds only what package-lock.json pins (issue 20). Tables for the pure
// parts: which lockfile entries give a pin, and which tarball bytes pass the sha512 check (a tampered one does not).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkIntegrity, lockedPin, TARGETS } from '../../../install/release/runtimes.mjs';

const sri = (b: Uint8Array) => `sha512-${createHash('sha512').update(b).digest('base64')}`;
const good = sri(Buffer.from('x'));

describe('lockedPin', () => {
  const lock = (entry: unknown) => ({ packages: { 'node_modules/@oven/bun-linux-x64': entry } });
  it('gives name, version and integrity of a lockfile entry', () => {
    expect(lockedPin(lock({ version: '1.4.5', integrity: good, cpu: ['x64'] }), '@oven/bun-linux-x64'))
      .toEqual({ name: '@oven/bun-linux-x64', version: '1.4.5', integrity: good });
  });
  it.each<[string, unknown, RegExp]>([
    ['missing package', { packages: {} }, /is not named in package-lock\.json; add it/],
    ['no packages at all', {}, /is not named in package-lock\.json/],
    ['null lockfile', null, /is not named in package-lock\.json/],
    ['no version', lock({ integrity: good }), /no version or sha512 integrity .*regenerate the lockfile/],
    ['no integrity', lock({ version: '1.4.5' }), /no version or sha512 integrity/],
    ['sha1 integrity only', lock({ version: '1.4.5', integrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }), /no version or sha512 integrity/],
    ['two hashes', lock({ version: '1.4.5', integrity: `${good} ${good}` }), /no version or sha512 integrity/],
    ['numeric version', lock({ version: 1, integrity: good }), /no version or sha512 integrity/],
  ])('%s: refused', (_, l, msg) => expect(() => lockedPin(l, '@oven/bun-linux-x64')).toThrow(msg));

  it('every release target runtime and addon is pinned by our own package-lock.json', () => {
    const ours = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../package-lock.json'), 'utf8'));
    for (const t of Object.values(TARGETS)) {
      expect(lockedPin(ours, t.bun).version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(lockedPin(ours, t.keyring).integrity).toMatch(/^sha512-/);
    }
  });
});

describe('checkIntegrity', () => {
  const tarball = gzipSync(Buffer.from('package/bin/bun\0'.repeat(100)));
  const pin = { name: '@oven/bun-linux-x64', version: '1.4.5', integrity: sri(tarball) };
  const flipped = Buffer.from(tarball);
  flipped[20] = flipped[20]! ^ 1;
  it.each<[string, Uint8Array, boolean]>([
    ['the pinned tarball', tarball, true],
    ['a tampered tarball (one bit flipped)', flipped, false],
    ['a truncated tarball', tarball.subarray(0, tarball.length - 1), false],
    ['a tarball with a byte appended', Buffer.concat([tarball, Buffer.from([0])]), false],
    ['nothing', Buffer.alloc(0), false],
  ])('%s', (_, bytes, ok) => {
    if (ok) expect(() => checkIntegrity(pin, bytes)).not.toThrow();
    else {
      expect(() => checkIntegrity(pin, bytes))
        .toThrow(/@oven\/bun-linux-x64@1\.4\.5 tarball does not match package-lock\.json integrity .*refusing to embed it/);
    }
  });
});
