import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { jitterShare, refreshJitter, refreshMarginFor, usableFresh, usableFromCache } from '../../../src/token/policy.js';
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
  const at = (secondsFromNow: number | undefined, id?: string) => ({
    plaintext: 'p',
    secret: 's',
    expiresAt: secondsFromNow === undefined ? undefined : now / 1000 + secondsFromNow,
    ...(id === undefined ? {} : { id }),
  });
  // Whatever a token's share, its margin lies in [margin, margin * 1.1).
  it.each([
    [3600, 300, true],
    [330, 300, true],
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

describe('refresh jitter: each token its own deterministic share of up to 10 % more margin', () => {
  const now = 1_000_000_000_000;
  // The share, computed independently: the first 32 bits of SHA-256 over the same input.
  const expectedShare = (seed: string) => createHash('sha256').update(`refresh-jitter\0${seed}`).digest().readUInt32BE(0) / 2 ** 32;

  it.each([
    ['tok_0001', undefined],
    ['tok_0002', undefined],
    ['0f9a2c4e-6b1d-4c3e-9a7f-2d5e8b1c0a93', undefined],
    [undefined, 'art_v1_0123456789abcdef'],
  ])('id %s / secret %s: share from a hash of the id, else the secret', (id, secret) => {
    const token = { id, secret: secret ?? 'unused-secret' };
    expect(jitterShare(token)).toBe(expectedShare(id ?? secret!));
    expect(refreshMarginFor(token, 300)).toBeCloseTo(300 * (1 + refreshJitter * expectedShare(id ?? secret!)), 9);
  });

  it('the same token always gets the same margin; a zero margin stays zero', () => {
    const t = { id: 'tok_same', secret: 's' };
    expect(refreshMarginFor(t, 300)).toBe(refreshMarginFor({ ...t }, 300));
    expect(refreshMarginFor(t, 0)).toBe(0);
  });

  it('a fleet that minted in one second spreads over the widened window, never below the margin', () => {
    const margins = Array.from({ length: 1000 }, (_, i) => refreshMarginFor({ id: `tok_${i}`, secret: 's' }, 300));
    expect(Math.min(...margins)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...margins)).toBeLessThan(330);
    // Spread over the whole window: every 3 s slice of 300-330 s holds some tokens.
    const slices = new Set(margins.map((m) => Math.floor((m - 300) / 3)));
    expect(slices.size).toBe(10);
    // and no second holds more than a fifth of the fleet.
    const perSecond = new Map<number, number>();
    for (const m of margins) perSecond.set(Math.floor(m), (perSecond.get(Math.floor(m)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThan(200);
  });

  it('usableFromCache draws the line at the token\'s own margin', () => {
    const token = (left: number) => ({ plaintext: 'p', secret: 's', id: 'tok_edge', expiresAt: now / 1000 + left });
    const margin = refreshMarginFor({ id: 'tok_edge', secret: 's' }, 300);
    expect(margin).toBeGreaterThan(300);
    expect(usableFromCache(token(margin + 0.001), now, 300)).toBe(true);
    expect(usableFromCache(token(margin - 0.01), now, 300)).toBe(false);
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
    const s = resolveSettings(new Map([['--read-ttl', '120'], ['--timeout', '5']]), { ARTIFACTS_READ_TTL: '90', ARTIFACTS_REFRESH_MARGIN: '10' });
    expect(s).toEqual({ ttl: { read: 90, write: 900 }, refreshMargin: 10, timeoutMs: 5000 });
  });
  it.each([
    [{ ARTIFACTS_READ_TTL: '10' }, new Map<string, string>(), 'ARTIFACTS_READ_TTL must be between 60 and 31536000 seconds, got 10', 'unset ARTIFACTS_READ_TTL or set it from 60 to 31536000 (default 3600)'],
    [{ ARTIFACTS_TIMEOUT: '0' }, new Map<string, string>(), 'ARTIFACTS_TIMEOUT must be between 1 and 600 seconds, got 0', 'unset ARTIFACTS_TIMEOUT or set it from 1 to 600 (default 20)'],
    [{}, new Map([['--read-ttl', '10']]), '--read-ttl must be between 60 and 31536000 seconds, got 10', 'run `git-credential-artifacts configure` again with --read-ttl from 60 to 31536000 (default 3600)'],
  ])('out of range is refused with the range, as configure refuses the flag (issue 21): %j %j', (env, flags, message, hint) => {
    expect(() => resolveSettings(flags, env)).toThrow(expect.objectContaining({ code: 'config.invalid', message, hint }));
  });
  it('rejects a non-number', () => expect(() => resolveSettings(new Map(), { ARTIFACTS_TIMEOUT: 'soon' })).toThrow(/ARTIFACTS_TIMEOUT/));
});
