import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ArtifactsError } from '../../../src/errors.js';
import { forgetSecrets, printable, redact, rememberSecret } from '../../../src/redact.js';
import { report } from '../../../src/report.js';
import { sha256Hex } from '../../../src/sha256.js';

afterEach(() => forgetSecrets());

const hex40 = '0123456789abcdef0123456789abcdef01234567';

describe('redact by shape', () => {
  it.each([
    ['a v1 token with expiry', `t=art_v1_${hex40}?expires=1700000000 end`, 't=<redacted-token> end'],
    ['a percent-encoded token', `art_v2_e_${hex40}%3Fexpires%3D17`, '<redacted-token>'],
    ['an unknown future prefix', `art_v9_zz_${hex40}`, '<redacted-token>'],
    ['an Authorization header', 'Authorization: Bearer abc.def.ghi', 'Authorization: Bearer <redacted>'],
    ['a Basic header', 'authorization: basic eDpzZWNyZXQ=', 'authorization: basic <redacted>'],
    ['a bare Bearer value', 'sent Bearer eyJhbGciOi.x.y', 'sent Bearer <redacted>'],
    ['ordinary words stay', 'bearer of bad news', 'bearer of bad news'],
    ['a password in a URL', "fatal: unable to access 'https://me:pa55word@git.example.com/x.git/'", "fatal: unable to access 'https://me:<redacted>@git.example.com/x.git/'"],
    ['a URL with a user and no password stays', 'https://me@git.example.com/x.git and http://127.0.0.1:8080/a', 'https://me@git.example.com/x.git and http://127.0.0.1:8080/a'],
    ['a JWT in a message', 'gateway said: bad token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c (expired)', 'gateway said: bad token <redacted-jwt> (expired)'],
    ['a JWT in JSON', '{"jwt":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"}', '{"jwt":"<redacted-jwt>"}'],
    ['a JWT with an empty signature (alg none)', 'x=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0. y', 'x=<redacted-jwt> y'],
    ['a JWT whose payload is not an object', 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', '<redacted-jwt>'],
    ['a JWT in a URL query', 'https://gw.example/x?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c&a=1', 'https://gw.example/x?token=<redacted-jwt>&a=1'],
    ['eyJ alone is a word', 'eyJ.a.b and eyJhb', 'eyJ.a.b and eyJhb'],
  ])('%s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe('redact by value', () => {
  it('replaces a remembered API token of any format, raw and percent-encoded', () => {
    const apiToken = 'Zk9v_bar/baz+QUX=1234';
    rememberSecret(apiToken);
    expect(redact(`echo ${apiToken} and ${encodeURIComponent(apiToken)}`)).toBe('echo <redacted> and <redacted>');
  });
  it("replaces a repo token's secret part too", () => {
    rememberSecret('opaque-secret-1234?expires=99');
    expect(redact('password=opaque-secret-1234')).toBe('password=<redacted>');
  });
  it('ignores values too short to be secrets', () => {
    rememberSecret('abc');
    expect(redact('abc')).toBe('abc');
  });
  it('property: a remembered secret never survives, wherever it stands', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }), fc.string(), fc.string(), (secret, before, after) => {
        forgetSecrets();
        rememberSecret(secret);
        expect(redact(`${before}${secret}${after}`).includes(secret)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('printable', () => {
  it.each([
    ['escape sequence', 'a\u001b[31mb', 'a\\x1b[31mb'],
    ['newline', 'a\nb', 'a\\x0ab'],
    ['CR', 'a\rb', 'a\\x0db'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['tab stays', 'a\tb', 'a\tb'],
  ])('%s', (_name, input, expected) => {
    expect(printable(input)).toBe(expected);
  });
  it('keeps newlines for stacks when asked', () => {
    expect(printable('a\nb\u0007', true)).toBe('a\nb\\x07');
  });
});

describe('report', () => {
  const capture = () => {
    let text = '';
    const stream = new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) });
    return { stream, text: () => text };
  };
  it('renders message and hint on one line each, redacted and printable, with the exit code', () => {
    rememberSecret('the-api-token-value');
    const out = capture();
    const code = report('tool', new ArtifactsError('usage', 'bad the-api-token-value\nforged: line', { hint: 'do\u001bthis' }), out.stream);
    expect(code).toBe(2);
    expect(out.text()).toBe('tool: bad <redacted>\\x0aforged: line\ntool: hint: dothis\n');
  });
  it('a bug keeps its stack, redacted', () => {
    rememberSecret('the-api-token-value');
    const out = capture();
    expect(report('tool', new Error('boom the-api-token-value'), out.stream)).toBe(1);
    expect(out.text()).toMatch(/^tool: unexpected error \(please report it\): Error: boom <redacted>\n\s+at /);
  });
});

describe('sha256Hex', () => {
  it.each(['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é\u{1F600}\n'])('matches node:crypto for %j', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
  it('property: matches node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
