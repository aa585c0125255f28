import { describe, expect, it } from 'vitest';
import { isBusy, retryBusy } from '../../../src/private-file.js';

const err = (code: string) => Object.assign(new Error(code), { code });

// The platform is a parameter: these rows run on every OS.
describe('isBusy: a Windows file held open by another process, worth a short wait', () => {
  it.each([
    ['EPERM', 'win32', true],
    ['EBUSY', 'win32', true],
    ['EACCES', 'win32', true],
    ['ENOENT', 'win32', false],
    ['ENOSPC', 'win32', false],
    ['EPERM', 'linux', false], // POSIX: a real permission error, reported at once
    ['EBUSY', 'darwin', false],
  ] as const)('%s on %s: %s', (code, platform, want) => {
    expect(isBusy(err(code), platform)).toBe(want);
  });
});

describe('retryBusy', () => {
  const flaky = (failures: string[]) => {
    let calls = 0;
    return {
      fn: () => {
        const code = failures[calls++];
        if (code) throw err(code);
        return 'done';
      },
      calls: () => calls,
    };
  };

  it('waits out EPERM/EBUSY on Windows, backing off', () => {
    const waits: number[] = [];
    const f = flaky(['EPERM', 'EBUSY', 'EPERM']);
    expect(retryBusy(f.fn, 'win32', 8, (ms) => waits.push(ms))).toBe('done');
    expect(waits).toEqual([10, 20, 40]);
  });

  it('is bounded: after `tries` attempts the last failure is thrown', () => {
    const waits: number[] = [];
    const f = flaky(Array(20).fill('EBUSY'));
    expect(() => retryBusy(f.fn, 'win32', 4, (ms) => waits.push(ms))).toThrow('EBUSY');
    expect(f.calls()).toBe(4);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(70);
  });

  it.each([
    ['linux', 'EPERM'],
    ['win32', 'ENOSPC'],
  ] as const)('on %s, %s fails at once', (platform, code) => {
    const f = flaky([code]);
    expect(() => retryBusy(f.fn, platform, 8, () => expect.unreachable())).toThrow(code);
    expect(f.calls()).toBe(1);
  });
});
