import { describe, expect, it } from 'vitest';
import { usableFresh, usableFromCache } from '../../../src/token/policy.js';
import { clampTtl, resolveSettings } from '../../../src/token/settings.js';
import { parseToken } from '../../../src/token/token.js';

const hex = 'a'.repeat(40);

describe('parseToken: expiry comes from the server, the prefix is never read', () => {
  it.each([
    [`art_v1_${hex}?expires=1700000000`, undefined, `art_v1_${hex}`, 1700000000],
    [`art_v2_e_${hex}?expires=1700000000`, undefined, `art_v2_e_${hex}`, 1700000000],
    [`something_new_${hex}?expires=42`, undefined, `something_new_${hex}`, 42],
    [`art_v1_${hex}`, '2023-11-14T22:13:20Z', `art_v1_${hex}`, 1700000000],
    [`art_v1_${hex}?expires=notanumber`, '2023-11-14T22:13:20Z', `art_v1_${hex}`, 1700000000],
    [`art_v1_${hex}`, undefined, `art_v1_${hex}`, undefined],
    [`art_v1_${hex}?expires=1?expires=2`, undefined, `art_v1_${hex}`, undefined], // split on the first marker
  ])('%s', (plaintext, iso, secret, expiresAt) => {
    expect(parseToken(plaintext, iso)).toEqual({ plaintext, secret, expiresAt });
  });
});

describe('refresh margin', () => {
  const now = 1_000_000_000_000; // ms
  const at = (secondsFromNow: number | undefined) => ({
    plaintext: 'p',
    secret: 's',
    expiresAt: secondsFromNow === undefined ? undefined : now / 1000 + secondsFromNow,
  });
  it.each([
    [3600, 300, true],
    [301, 300, true],
    [300, 300, true],
    [299, 300, false],
    [3, 300, false],
    [-1, 300, false],
    [undefined, 300, false],
    [10, 0, true],
  ])('cached token with %s s left, margin %s: usable %s', (left, margin, ok) => {
    expect(usableFromCache(at(left), now, margin)).toBe(ok);
  });
  it.each([
    [3, true],
    [0.5, true],
    [0, false],
    [-5, false],
    [undefined, true],
  ])('fresh token with %s s left: handed out once: %s', (left, ok) => {
    expect(usableFresh(at(left), now)).toBe(ok);
  });
});

describe('settings', () => {
  it.each([
    [0, 60],
    [59, 60],
    [60, 60],
    [3600, 3600],
    [99_999_999, 31_536_000],
  ])('clampTtl(%s) = %s', (ttl, expected) => expect(clampTtl(ttl)).toBe(expected));

  it('defaults: read 3600 s, write 900 s, margin 300 s, 20 s time bound', () => {
    expect(resolveSettings(new Map(), {})).toEqual({ ttl: { read: 3600, write: 900 }, refreshMargin: 300, timeoutMs: 20_000 });
  });
  it('flags set values, the environment wins over flags', () => {
    const s = resolveSettings(new Map([['--read-ttl', '120'], ['--timeout', '5']]), { ARTIFACTS_READ_TTL: '30', ARTIFACTS_REFRESH_MARGIN: '10' });
    expect(s).toEqual({ ttl: { read: 60, write: 900 }, refreshMargin: 10, timeoutMs: 5000 });
  });
  it('rejects a non-number', () => expect(() => resolveSettings(new Map(), { ARTIFACTS_TIMEOUT: 'soon' })).toThrow(/ARTIFACTS_TIMEOUT/));
});
