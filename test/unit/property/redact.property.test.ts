// Issue 21, L2: a remembered secret never survives redact(), however a server re-encodes it
// inside an error body: case, whitespace splitting it, hex, base64 (any alignment), URL
// %-encoding, HTML character references, JSON \u escapes, and these applied to only some of
// its characters.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetSecrets, redact, rememberSecret } from '../../../src/redact.js';

afterEach(() => forgetSecrets());

const secretArb = fc.stringMatching(/^[A-Za-z0-9_-]{8,48}$/);
const hex2 = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');
const perChar: Record<string, (c: string) => string> = {
  percent: (c) => `%${hex2(c).toUpperCase()}`,
  htmlDec: (c) => `&#${c.charCodeAt(0)};`,
  htmlHex: (c) => `&#x${hex2(c)};`,
  jsonU: (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
};

/** The secret spelled one way: every character or a random subset of them encoded, or cased, or split. */
const encodedArb = (secret: string) =>
  fc.oneof(
    fc.constantFrom(secret, secret.toUpperCase(), secret.toLowerCase()),
    fc.tuple(fc.constantFrom(...Object.keys(perChar)), fc.array(fc.boolean(), { minLength: secret.length, maxLength: secret.length })).map(
      ([how, which]) => [...secret].map((c, i) => (which[i] ? perChar[how]!(c) : c)).join(''),
    ),
    fc.tuple(fc.integer({ min: 1, max: secret.length - 1 }), fc.constantFrom('\n', ' ', '\r\n', '\t', '\n  ')).map(([at, gap]) => `${secret.slice(0, at)}${gap}${secret.slice(at)}`),
    fc.constantFrom(Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('hex').toUpperCase()),
    // Base64 of a longer text that holds the secret: every alignment, standard and url-safe.
    fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), fc.boolean()).map(([pre, post, urlSafe]) => {
      const b64 = Buffer.from(`${pre}${secret}${post}`).toString('base64');
      return urlSafe ? b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : b64;
    }),
  );

/** What a person could still read out of the text: every decoding the test knows, undone. */
function survives(text: string, secret: string): boolean {
  const lower = secret.toLowerCase();
  const decoded = text
    .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\s+/g, '')
    .toLowerCase();
  if (decoded.includes(lower) || decoded.includes(Buffer.from(secret).toString('hex'))) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    for (let off = 0; off < 4; off++) {
      const bytes = Buffer.from(run.slice(off).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
      if (bytes.includes(secret)) return true;
    }
  }
  return false;
}

describe('redact: a secret in any encoding inside a random body', () => {
  it('the test decoder sees the unredacted secret (the property below is not vacuous)', () => {
    fc.assert(
      fc.property(secretArb.chain((s) => fc.tuple(fc.constant(s), encodedArb(s))), ([secret, encoded]) => {
        expect(survives(`x ${encoded} y`, secret)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never survives', () => {
    fc.assert(
      fc.property(
        secretArb.chain((s) => fc.tuple(fc.constant(s), encodedArb(s))),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        ([secret, encoded], before, after) => {
          forgetSecrets();
          rememberSecret(secret);
          const out = redact(`{"errors":[{"message":"${before}${encoded}${after}"}]}`);
          expect(out).not.toContain(encoded);
          expect(survives(out, secret)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['split by a newline', 'tok: abcd1234\nefgh5678 end', 'tok: <redacted> end'],
    ['upper-cased', 'tok: ABCD1234EFGH5678 end', 'tok: <redacted> end'],
    ['hex', `tok: ${Buffer.from('abcd1234efgh5678').toString('hex')} end`, 'tok: <redacted> end'],
    ['HTML entities', 'tok: &#97;&#x62;cd1234efgh5678 end', 'tok: <redacted> end'],
    ['JSON escapes', 'tok: \\u0061bcd1234efgh5678 end', 'tok: <redacted> end'],
    ['percent-encoded twice', 'tok: %2561bcd1234efgh5678 end', 'tok: <redacted> end'],
  ])('%s', (_name, body, want) => {
    rememberSecret('abcd1234efgh5678');
    expect(redact(body)).toBe(want);
  });

  it('leaves a placeholder in a hint readable: Bearer <API token>', () => {
    rememberSecret('abcd1234efgh5678');
    expect(redact('send Authorization: Bearer <API token> (repo tokens do not work)')).toBe('send Authorization: Bearer <API token> (repo tokens do not work)');
    expect(redact('Authorization: Bearer <abcd1234efgh5678')).not.toContain('abcd1234');
  });
});
