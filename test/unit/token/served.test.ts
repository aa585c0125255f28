// The served marks of a revoked-token heal (src/token/served.ts): the verdict as a table, the
// mark codec against anything, and the files against a real directory.
import fc from 'fast-check';
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmFile, confirmWithinMs, decodeMark, judge, markFile, readMark, secretTag, takeConfirmation, trustForMs, writeMark, type ServedMark } from '../../../src/token/served.js';

const secret = 'art_secret_0123456789';
const now = 1_800_000_000_000;
const mark = (over: Partial<ServedMark> = {}): ServedMark => ({ tag: secretTag(secret), at: now - 5_000, pid: 4242, ...over });
const alive = () => true;
const dead = () => false;

describe('judge', () => {
  it.each([
    ['never served before', undefined, false, alive, 'fine'],
    ['served to a git that confirmed', mark(), true, dead, 'fine'],
    ['a mark of another token', mark({ tag: secretTag('other') }), false, dead, 'fine'],
    ['served to a git still running, moments ago', mark(), false, alive, 'fine'],
    ['served to a git that ended without confirming', mark(), false, dead, 'suspect'],
    ['served a minute ago to a git still running (stuck, or a pid reused)', mark({ at: now - confirmWithinMs }), false, alive, 'suspect'],
    ['a mark from the future (clock stepped back)', mark({ at: now + 60_000 }), false, alive, 'suspect'],
    ['unconfirmed, but probed good recently (a caller that never stores)', mark({ trusted: now - 1_000 }), false, dead, 'fine'],
    ['unconfirmed, probed good long ago', mark({ trusted: now - trustForMs }), false, dead, 'suspect'],
  ] as const)('%s -> %s', (_name, m, confirmed, isAlive, want) => {
    expect(judge(m, secret, now, confirmed, isAlive)).toBe(want);
  });
});

describe('decodeMark', () => {
  it('round-trips what writeMark writes, and holds no secret', () => {
    const m = mark({ trusted: now });
    expect(decodeMark(JSON.stringify(m))).toEqual(m);
    expect(JSON.stringify(m)).not.toContain(secret);
  });
  it('property: never throws, and accepts only a well-formed mark', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.record({ tag: fc.string(), at: fc.anything(), pid: fc.anything() }).map((r) => JSON.stringify(r))), (text) => {
        const m = decodeMark(text);
        if (m) {
          expect(m.tag).toMatch(/^[0-9a-f]{16}$/);
          expect(Number.isSafeInteger(m.at) && Number.isSafeInteger(m.pid)).toBe(true);
        }
      }),
    );
  });
});

describe('mark and confirmation files', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('written 0600 in a 0700 dir, read back; a confirmation is taken once', () => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'served-')), 'served');
    const file = markFile(dir, 'abc.json');
    writeMark(dir, file, mark());
    expect(readMark(file)).toEqual(mark());
    if (process.platform !== 'win32') {
      // The missing dir was made on the first write (the cached path skips the check otherwise).
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    writeFileSync(confirmFile(dir, 4242), '');
    expect(takeConfirmation(dir, 4242)).toBe(true);
    expect(takeConfirmation(dir, 4242)).toBe(false);
  });
  it.skipIf(process.platform === 'win32')('a symlinked mark is neither read nor written through (POSIX: O_NOFOLLOW)', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'served-'));
    const target = path.join(dir, 'elsewhere');
    writeFileSync(target, JSON.stringify(mark()));
    symlinkSync(target, markFile(dir, 'abc.json'));
    expect(readMark(markFile(dir, 'abc.json'))).toBeUndefined();
    expect(() => writeMark(dir, markFile(dir, 'abc.json'), mark())).toThrow();
  });
});
