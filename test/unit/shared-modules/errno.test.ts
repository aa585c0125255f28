// File system failures in words (issue 21, L3): what configure and unconfigure say when a write fails.
import { describe, expect, it } from 'vitest';
import { describeErrno } from '../../../src/errno.js';

const err = (code: string) => Object.assign(new Error(`${code}: raw libuv text, open '/x'`), { code });

describe('describeErrno', () => {
  it.each([
    ['EACCES', 'permission denied (EACCES)'],
    ['EPERM', 'the operation is not permitted (the file may be immutable, e.g. `chattr +i`, or belong to another user) (EPERM)'],
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['ENOSPC', 'no space is left on the device (ENOSPC)'],
    ['EISDIR', 'it is a directory (EISDIR)'],
    // Bun's single executable reports a refused write as EFAULT.
    ['EFAULT', 'the system refused the change (the file may be immutable, read-only or belong to another user) (EFAULT)'],
    ['EWHATEVER', 'EWHATEVER'],
  ])('%s', (code, want) => {
    expect(describeErrno(err(code))).toBe(want);
  });
  it('no code: the first line of the message, bounded', () => {
    expect(describeErrno(new Error(`bad\nsecond line`))).toBe('bad');
    expect(describeErrno(new Error('x'.repeat(500))).length).toBe(200);
  });
  it('a code that is not an errno word is not echoed as one', () => {
    expect(describeErrno(Object.assign(new Error('m'), { code: 'evil\ncode' }))).toBe('m');
  });
});
