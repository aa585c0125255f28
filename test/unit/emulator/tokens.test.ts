import { describe, expect, it } from 'vitest';
import type { Credential } from '../../../src/emulator/tokens.js';
import { formatPlaintext, hashSecret, looksLikeToken, newSecret, newTokenId, parseAuthorization, secretOf } from '../../../src/emulator/tokens.js';

const secret = `art_v1_${'ab12'.repeat(10)}`;
const full = `${secret}?expires=1790000000`;
const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('token codec', () => {
  it('ids are 16 chars of [0-9a-z]', () => {
    for (let i = 0; i < 50; i++) expect(newTokenId()).toMatch(/^[0-9a-z]{16}$/);
  });
  it('secrets are prefix + 40 hex; plaintext adds ?expires=<unix seconds>', () => {
    const s = newSecret('art_v2_e_');
    expect(s).toMatch(/^art_v2_e_[0-9a-f]{40}$/);
    expect(formatPlaintext(s, 1_790_000_000_999)).toBe(`${s}?expires=1790000000`);
  });
  it.each([
    [full, secret],
    [secret, secret],
    [`${secret}?expires=1?expires=2`, secret],
    ['', ''],
  ])('secretOf(%j) splits on the first ?expires=', (token, want) => expect(secretOf(token)).toBe(want));
  it('hashes are stable sha256 hex', () => expect(hashSecret('x')).toMatch(/^[0-9a-f]{64}$/));
  it.each([
    [full, true],
    [secret, true],
    [`art_v2_x_${'0'.repeat(40)}`, true],
    ['x', false],
    [`art_v1_${'A'.repeat(40)}`, false],
  ])('looksLikeToken(%j) = %s', (v, want) => expect(looksLikeToken(v)).toBe(want));
});

describe('parseAuthorization', () => {
  const cases: [string, string | undefined, Credential][] = [
    ['absent', undefined, { kind: 'none' }],
    ['empty', '', { kind: 'none' }],
    ['bearer full', `Bearer ${full}`, { kind: 'token', form: 'bearer', token: full }],
    ['bearer secret', `Bearer ${secret}`, { kind: 'token', form: 'bearer', token: secret }],
    ['bearer lower-case scheme', `bearer ${secret}`, { kind: 'token', form: 'bearer', token: secret }],
    ['bearer empty', 'Bearer ', { kind: 'malformed', form: 'bearer' }],
    ['basic x:secret', basic('x', secret), { kind: 'token', form: 'basic', token: secret, username: 'x' }],
    ['basic any user', basic('someone', secret), { kind: 'token', form: 'basic', token: secret, username: 'someone' }],
    ['basic full', basic('x', full), { kind: 'token', form: 'basic', token: full, username: 'x' }],
    ['basic percent-encoded full', basic('x', encodeURIComponent(full)), { kind: 'token', form: 'basic', token: full, username: 'x' }],
    ['basic token as username', basic(secret, 'x'), { kind: 'malformed', form: 'basic' }],
    ['basic empty username', basic('', secret), { kind: 'malformed', form: 'basic' }],
    ['basic empty password', basic('x', ''), { kind: 'malformed', form: 'basic' }],
    ['basic no colon', `Basic ${Buffer.from('xyz').toString('base64')}`, { kind: 'malformed', form: 'basic' }],
    ['basic not base64', 'Basic !!!', { kind: 'malformed', form: 'basic' }],
    ['other scheme', 'Digest abc', { kind: 'malformed', form: null }],
  ];
  it.each(cases)('%s', (_name, header, want) => expect(parseAuthorization(header)).toEqual(want));
});
