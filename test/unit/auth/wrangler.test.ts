import { describe, expect, it } from 'vitest';
import { resolveApiToken, type ApiTokenSource } from '../../../src/auth/api-token.js';
import { parseWranglerOutput } from '../../../src/auth/wrangler.js';

describe('parseWranglerOutput', () => {
  it.each([
    ['{"type":"api_token","token":"t1"}', 't1'],
    ['{"type":"oauth","token":"t2"}', 't2'],
    ['{"type":"oauth","token":""}', undefined],
    ['{"type":"other","token":"t"}', undefined],
    ['not json', undefined],
    ['null', undefined],
  ])('%s', (out, token) => expect(parseWranglerOutput(out)).toBe(token));
  it('a global API key is not usable as a bearer, and says so', () => {
    expect(() => parseWranglerOutput('{"type":"api_key","key":"k","email":"e"}')).toThrow(/global API key/);
  });
});

describe('resolveApiToken', () => {
  const source = (name: string, token: string | undefined): ApiTokenSource => ({ name, get: async () => token });
  it('takes the first source that has a token', async () => {
    expect(await resolveApiToken({}, Date.now() + 1000, [source('a', undefined), source('b', 'tb'), source('c', 'tc')])).toBe('tb');
  });
  it('with none, says what to set', async () => {
    await expect(resolveApiToken({}, Date.now() + 1000, [source('a', undefined)])).rejects.toThrow(/no Cloudflare API token/);
  });
});
