// doctor's answer from its checks: text lines, the fix under what is not ok, the count, the one
// JSON document, the exit code, and no secret or control character in any of it.
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok, warn, type Check } from '../../../src/doctor/check.js';
import { crashCheck, render } from '../../../src/doctor/render.js';
import { ArtifactsError } from '../../../src/errors.js';
import { forgetSecrets, rememberSecret } from '../../../src/redact.js';

afterEach(() => forgetSecrets());

describe('render as text', () => {
  const rows: Array<{ name: string; checks: Check[]; want: string; code: number }> = [
    { name: 'nothing checked', checks: [], want: '0 failed, 0 warnings, 0 ok\n', code: 0 },
    { name: 'all ok', checks: [ok('git-version', 'git 2.46.0'), ok('configured', 'configured for x')], want: 'ok    git-version: git 2.46.0\nok    configured: configured for x\n0 failed, 0 warnings, 2 ok\n', code: 0 },
    { name: 'a warning with its fix exits 0', checks: [warn('git-version', 'old git', 'install a newer one')], want: 'warn  git-version: old git\n      fix: install a newer one\n0 failed, 1 warnings, 0 ok\n', code: 0 },
    { name: 'a warning without a fix', checks: [warn('transport', 'plain http')], want: 'warn  transport: plain http\n0 failed, 1 warnings, 0 ok\n', code: 0 },
    { name: 'a failure with its fix exits 1', checks: [ok('a', 'fine'), fail('configured', 'no block', 'git-credential-artifacts configure')], want: 'ok    a: fine\nFAIL  configured: no block\n      fix: git-credential-artifacts configure\n1 failed, 0 warnings, 1 ok\n', code: 1 },
    { name: 'an ok check never shows a fix', checks: [{ id: 'a', status: 'ok', found: 'fine', fix: 'nothing' }], want: 'ok    a: fine\n0 failed, 0 warnings, 1 ok\n', code: 0 },
    { name: 'control characters are made printable', checks: [fail('x', 'bad\x1b[31m line\nnext')], want: expect.not.stringMatching(/\x1b|line\nnext/) as unknown as string, code: 1 },
  ];
  it.each(rows)('$name', ({ checks, want, code }) => {
    const r = render(checks, {});
    expect(r.text).toEqual(want);
    expect(r.code).toBe(code);
  });
});

describe('render as JSON', () => {
  it.each([
    { checks: [] as Check[], ok: true, code: 0 },
    { checks: [ok('a', 'fine'), warn('b', 'hm', 'do this')], ok: true, code: 0 },
    { checks: [ok('a', 'fine'), fail('b', 'broken', 'fix it')], ok: false, code: 1 },
  ])('%#: ok=$ok, exit $code, every check as it is, one document', ({ checks, ok: wantOk, code }) => {
    const r = render(checks, { json: true });
    expect(r.text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(r.text)).toEqual({ ok: wantOk, checks });
    expect(r.text).toBe(`${JSON.stringify({ ok: wantOk, checks }, null, 2)}\n`);
    expect(r.code).toBe(code);
  });
});

describe('no secret in either form', () => {
  it.each([{ json: false }, { json: true }])('json: $json', (o) => {
    rememberSecret('s3cret-token-value-0123456789');
    const r = render([fail('api-token', 'the API said s3cret-token-value-0123456789 is bad', 'not s3cret-token-value-0123456789')], o);
    expect(r.text).not.toContain('s3cret-token-value-0123456789');
    expect(r.code).toBe(1);
  });
});

describe('crashCheck', () => {
  it.each([
    { e: new ArtifactsError('git.failed', 'git broke', { hint: 'fix git' }), want: { id: 'doctor', status: 'fail', found: 'git broke', fix: 'fix git' } },
    { e: new ArtifactsError('git.failed', 'git broke'), want: { id: 'doctor', status: 'fail', found: 'git broke' } },
    { e: new TypeError('x is undefined'), want: { id: 'doctor', status: 'fail', found: 'unexpected: x is undefined', fix: 'please report it' } },
    { e: 'a string', want: { id: 'doctor', status: 'fail', found: 'unexpected: a string', fix: 'please report it' } },
    { e: undefined, want: { id: 'doctor', status: 'fail', found: 'unexpected: undefined', fix: 'please report it' } },
  ])('$want.found', ({ e, want }) => {
    expect(crashCheck(e)).toEqual(want);
  });
});
