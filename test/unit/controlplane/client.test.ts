// The control-plane client through its fetchImpl seam: what each answer becomes. Real
// Response objects, no network. Retries use random=0 so their delays are the shortest.
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest, maxBodyBytes } from '../../../src/controlplane/client.js';
import { isArtifactsError } from '../../../src/errors.js';
import { forgetSecrets, redact } from '../../../src/redact.js';
import { report } from '../../../src/report.js';
import { Writable } from 'node:stream';

afterEach(() => forgetSecrets());

const envelope = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function scripted(...answers: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const options = (fetchImpl: typeof fetch, deadlineMs = 5_000) => ({
  apiUrl: 'https://api.example/client/v4',
  apiToken: 'api-token-under-test',
  deadline: Date.now() + deadlineMs,
  what: 'mint a read token for ns/r',
  fetchImpl,
  random: () => 0,
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isArtifactsError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('apiRequest', () => {
  it('sends the bearer API token and JSON, and returns result of a successful envelope', async () => {
    const { calls, fetchImpl } = scripted(envelope({ success: true, result: { id: 'x' }, errors: [] }, 201));
    expect(await apiRequest('POST', '/accounts/a/tokens', { repo: 'r' }, options(fetchImpl))).toEqual({ id: 'x' });
    expect(calls[0]!.url).toBe('https://api.example/client/v4/accounts/a/tokens');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer api-token-under-test');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0]!.init.redirect).toBe('error');
  });

  it.each([
    [401, 'auth.rejected', /Artifacts Edit/],
    [403, 'auth.rejected', /Artifacts Edit/],
    [404, 'api.not_found', /namespace and repo name/],
    [400, 'api.invalid_response', undefined],
  ])('HTTP %i is final: %s, no retry', async (status, code, hint) => {
    const { calls, fetchImpl } = scripted(envelope({ success: false, result: null, errors: [{ code: 10000, message: 'nope' }] }, status));
    const e = await failure(apiRequest('POST', '/t', {}, options(fetchImpl)));
    expect(e.code).toBe(code);
    expect(e.message).toContain('nope (code 10000)');
    if (hint) expect(e.hint).toMatch(hint);
    expect(calls).toHaveLength(1);
  });

  it('503 then 201: retried and succeeds', async () => {
    const { calls, fetchImpl } = scripted(envelope({ success: false, errors: [] }, 503), envelope({ success: true, result: 1 }));
    expect(await apiRequest('POST', '/t', {}, options(fetchImpl))).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('429 with Retry-After 0 is retried', async () => {
    const { calls, fetchImpl } = scripted(envelope({ success: false, errors: [] }, 429, { 'retry-after': '0' }), envelope({ success: true, result: 2 }));
    expect(await apiRequest('POST', '/t', {}, options(fetchImpl))).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it('a network error is retried, then reported as unreachable with the host', async () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetchImpl } = scripted(err, err, err, err, err);
    const e = await failure(apiRequest('GET', '/t', undefined, options(fetchImpl)));
    expect(e.code).toBe('api.unavailable');
    expect(e.message).toMatch(/cannot reach api\.example \(ECONNREFUSED\)/);
  });

  it('200 without success is an invalid response', async () => {
    const { fetchImpl } = scripted(envelope({ success: false, result: null }));
    expect((await failure(apiRequest('GET', '/t', undefined, options(fetchImpl)))).code).toBe('api.invalid_response');
  });

  it('an answer larger than the cap is refused, not buffered', async () => {
    const big = new Response(new Uint8Array(maxBodyBytes + 1).fill(0x20), { status: 200 });
    const { fetchImpl } = scripted(big);
    const e = await failure(apiRequest('GET', '/t', undefined, options(fetchImpl)));
    expect(e.code).toBe('api.invalid_response');
    expect(e.message).toMatch(/larger than 1048576 bytes/);
  });

  it('a deadline already past: timed out, nothing sent', async () => {
    const { calls, fetchImpl } = scripted();
    const e = await failure(apiRequest('GET', '/t', undefined, options(fetchImpl, -1)));
    expect(e.code).toBe('api.timeout');
    expect(calls).toHaveLength(0);
  });

  it("an error body echoing the API token is redacted when rendered (the token is known by value once used)", async () => {
    const { rememberSecret } = await import('../../../src/redact.js');
    rememberSecret('api-token-under-test');
    const { fetchImpl } = scripted(envelope({ success: false, errors: [{ code: 1, message: 'got token api-token-under-test' }] }, 400));
    const e = await failure(apiRequest('POST', '/t', {}, options(fetchImpl)));
    let text = '';
    report('tool', e, new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }));
    expect(text).not.toContain('api-token-under-test');
    expect(redact(e.message)).toContain('<redacted>');
  });
});
