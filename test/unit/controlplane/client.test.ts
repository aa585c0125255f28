// The control-plane client through its transport seam: what each answer becomes, no network
// (the real transport has its own tests against a local server: http-request.test.ts).
// Retries use random=0 so their delays are the shortest, and a fake clock whose sleep() moves it
// on at once: deadlines, backoff and Retry-After are checked exactly, and no test waits.
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest, maxBodyBytes } from '../../../src/controlplane/client.js';
import { HttpError, type HttpAnswer, type HttpCall, type HttpTransport } from '../../../src/controlplane/http-request.js';
import { isArtifactsError } from '../../../src/errors.js';
import { forgetSecrets, redact } from '../../../src/redact.js';
import { report } from '../../../src/report.js';
import { Writable } from 'node:stream';

afterEach(() => forgetSecrets());

const answer = (body: string, status = 200, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  header: (name) => headers[name] ?? null,
  body,
});
const envelope = (body: unknown, status = 200, headers: Record<string, string> = {}) => answer(JSON.stringify(body), status, headers);

function scripted(...answers: Array<HttpAnswer | Error>) {
  const calls: HttpCall[] = [];
  const transport: HttpTransport = async (call) => {
    calls.push(call);
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, transport };
}

/** A clock that only moves when the code under test sleeps (or a test says so). */
function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => void (t += ms),
    slept,
  };
}

const options = (transport: HttpTransport, deadlineMs = 5_000, clock = fakeClock()) => ({
  apiUrl: 'https://api.example/client/v4',
  apiToken: 'api-token-under-test',
  deadline: clock.now() + deadlineMs,
  what: 'mint a read token for ns/r',
  transport,
  random: () => 0,
  now: clock.now,
  sleep: clock.sleep,
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
    const { calls, transport } = scripted(envelope({ success: true, result: { id: 'x' }, errors: [] }, 201));
    expect(await apiRequest('POST', '/accounts/a/tokens', { repo: 'r' }, options(transport))).toEqual({ id: 'x' });
    const call = calls[0]!;
    expect(call.url).toBe('https://api.example/client/v4/accounts/a/tokens');
    expect(call.method).toBe('POST');
    expect(call.headers.authorization).toBe('Bearer api-token-under-test');
    expect(call.headers['content-type']).toBe('application/json');
    expect(JSON.parse(call.body!)).toEqual({ repo: 'r' });
    expect(call.maxBodyBytes).toBe(maxBodyBytes);
    // One attempt may use what is left of the whole call's time, never more.
    expect(call.timeoutMs).toBe(5_000);
  });

  it.each([
    [401, 'auth.rejected', /Artifacts Edit/],
    [403, 'auth.rejected', /Artifacts Edit/],
    [404, 'api.not_found', /namespace and repo name/],
    [400, 'api.invalid_response', undefined],
    // node:http follows no redirect; one to somewhere else is not the API answering.
    [302, 'api.invalid_response', undefined],
  ])('HTTP %i is final: %s, no retry', async (status, code, hint) => {
    const { calls, transport } = scripted(envelope({ success: false, result: null, errors: [{ code: 10000, message: 'nope' }] }, status));
    const e = await failure(apiRequest('POST', '/t', {}, options(transport)));
    expect(e.code).toBe(code);
    expect(e.message).toContain('nope (code 10000)');
    if (hint) expect(e.hint).toMatch(hint);
    expect(calls).toHaveLength(1);
  });

  it('503 then 201: retried and succeeds', async () => {
    const { calls, transport } = scripted(envelope({ success: false, errors: [] }, 503), envelope({ success: true, result: 1 }));
    expect(await apiRequest('POST', '/t', {}, options(transport))).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('429 with Retry-After 0 is retried', async () => {
    const { calls, transport } = scripted(envelope({ success: false, errors: [] }, 429, { 'retry-after': '0' }), envelope({ success: true, result: 2 }));
    expect(await apiRequest('POST', '/t', {}, options(transport))).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it.each([
    { what: 'seconds', header: (_now: number) => '2', wantSleep: 2_000 },
    { what: 'an HTTP date', header: (now: number) => new Date(now + 3_000).toUTCString(), wantSleep: 3_000 },
  ])('429 with Retry-After as $what waits exactly that long, then retries', async ({ header, wantSleep }) => {
    const clock = fakeClock();
    const { calls, transport } = scripted(envelope({ success: false, errors: [] }, 429, { 'retry-after': header(clock.now()) }), envelope({ success: true, result: 3 }));
    expect(await apiRequest('POST', '/t', {}, options(transport, 10_000, clock))).toBe(3);
    expect(clock.slept).toEqual([wantSleep]);
    expect(calls.map((c) => c.timeoutMs)).toEqual([10_000, 10_000 - wantSleep]);
  });

  it('a Retry-After past the deadline gives up at once instead of sleeping', async () => {
    const clock = fakeClock();
    const { calls, transport } = scripted(envelope({ success: false, errors: [] }, 429, { 'retry-after': '60' }));
    const e = await failure(apiRequest('POST', '/t', {}, options(transport, 5_000, clock)));
    expect(e.code).toBe('api.rate_limited');
    expect(e.message).toMatch(/gave up after 1 attempt\(s\) within the time limit$/);
    expect(clock.slept).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('backoff doubles between attempts, and the deadline cuts the retries short', async () => {
    const clock = fakeClock();
    const busy = () => envelope({ success: false, errors: [] }, 503);
    const { calls, transport } = scripted(busy(), busy(), busy(), busy(), busy());
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport, 500, clock)));
    expect(e.code).toBe('api.unavailable');
    // random=0: half of 250, 500, …; the third wait (250 ms at t=375) would end past 500.
    expect(clock.slept).toEqual([125, 250]);
    expect(calls).toHaveLength(3);
    expect(e.message).toMatch(/gave up after 3 attempt/);
  });

  it('an attempt that uses up the time ends the call as a timeout, without another attempt', async () => {
    const clock = fakeClock();
    const calls: HttpCall[] = [];
    const slow: HttpTransport = async (call) => {
      calls.push(call);
      clock.advance(call.timeoutMs); // the transport's own bound fired
      throw new HttpError('TIMEOUT', `no answer within ${call.timeoutMs} ms`);
    };
    const e = await failure(apiRequest('GET', '/t', undefined, options(slow, 5_000, clock)));
    expect(calls.map((c) => c.timeoutMs)).toEqual([5_000]);
    expect(e.code).toBe('api.timeout');
  });

  it('a network error is retried, then reported as unreachable with the host', async () => {
    const err = new HttpError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443');
    const { transport } = scripted(err, err, err, err, err);
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport)));
    expect(e.code).toBe('api.unavailable');
    expect(e.message).toMatch(/cannot reach api\.example \(ECONNREFUSED\)/);
  });

  it('200 without success is an invalid response', async () => {
    const { transport } = scripted(envelope({ success: false, result: null }));
    expect((await failure(apiRequest('GET', '/t', undefined, options(transport)))).code).toBe('api.invalid_response');
  });

  it('an answer larger than the cap (the transport stops reading) is final, not retried', async () => {
    const { calls, transport } = scripted(new HttpError('BODY_TOO_LARGE', 'too large'));
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport)));
    expect(e.code).toBe('api.invalid_response');
    expect(e.message).toMatch(/larger than 1048576 bytes/);
    expect(calls).toHaveLength(1);
  });

  it('attempts that time out are retried, then reported as a timeout', async () => {
    const timeout = new HttpError('TIMEOUT', 'no answer within 5 ms');
    const { calls, transport } = scripted(timeout, timeout, timeout, timeout, timeout);
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport)));
    expect(e.code).toBe('api.timeout');
    expect(calls).toHaveLength(5);
  });

  it('time running out after a 500 reports the 500, not "no answer"', async () => {
    const timeout = new HttpError('TIMEOUT', 'no answer');
    const { calls, transport } = scripted(envelope({ success: false, errors: [{ code: 7, message: 'boom' }] }, 500), timeout, timeout, timeout, timeout);
    const e = await failure(apiRequest('POST', '/t', {}, options(transport)));
    expect(e.code).toBe('api.unavailable');
    expect(e.message).toMatch(/HTTP 500: boom \(code 7\)/);
    expect(calls).toHaveLength(5);
  });

  it('a wait for the next attempt that would pass the deadline is not started: the 500 is reported', async () => {
    const { calls, transport } = scripted(envelope({ success: false, errors: [] }, 500));
    // 100 ms left; the first retry waits at least 125 ms.
    const e = await failure(apiRequest('POST', '/t', {}, options(transport, 100)));
    expect(calls).toHaveLength(1);
    expect(e.code).toBe('api.unavailable');
    expect(e.message).toMatch(/HTTP 500; gave up after 1 attempt\(s\) within the time limit/);
  });

  it("a code that is not one of Node's words is not echoed", async () => {
    const { transport } = scripted(...Array.from({ length: 5 }, () => new HttpError('x y\nz', 'odd')));
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport, 300)));
    expect(e.message).toMatch(/cannot reach api\.example; gave up after \d attempt/);
  });

  it('a deadline already past: timed out, nothing sent', async () => {
    const { calls, transport } = scripted();
    const e = await failure(apiRequest('GET', '/t', undefined, options(transport, -1)));
    expect(e.code).toBe('api.timeout');
    expect(calls).toHaveLength(0);
  });

  it("an error body echoing the API token is redacted when rendered (the token is known by value once used)", async () => {
    const { rememberSecret } = await import('../../../src/redact.js');
    rememberSecret('api-token-under-test');
    const { transport } = scripted(envelope({ success: false, errors: [{ code: 1, message: 'got token api-token-under-test' }] }, 400));
    const e = await failure(apiRequest('POST', '/t', {}, options(transport)));
    let text = '';
    report('tool', e, new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }));
    expect(text).not.toContain('api-token-under-test');
    expect(redact(e.message)).toContain('<redacted>');
  });

  const rendered = (e: unknown) => {
    let text = '';
    report('tool', e, new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }));
    return text;
  };

  it('error text is the envelope codes and messages only, each cut, at most three, never the rest of the body', async () => {
    const long = 'm'.repeat(500);
    const body = { success: false, leak: 'BODY-ONLY-SECRET', errors: [{ code: 7, message: long }, { code: 'x-evil', message: 'two\n  lines' }, { code: 9, message: 'three' }, { code: 10, message: 'four' }] };
    const { transport } = scripted(envelope(body, 400));
    const e = await failure(apiRequest('POST', '/t', {}, options(transport)));
    expect(e.message).toBe(`could not mint a read token for ns/r: HTTP 400: ${'m'.repeat(200)}… (code 7); two lines; three (code 9); and 1 more`);
    expect(e.message).not.toContain('BODY-ONLY-SECRET');
  });

  it.each([
    ['split by a newline', 'api-token-\nunder-test'],
    ['upper-cased', 'API-TOKEN-UNDER-TEST'],
    ['hex', Buffer.from('api-token-under-test').toString('hex')],
    ['HTML entities', '&#97;&#x70;i-token-under-test'],
    ['JSON escapes', '\\u0061pi-token-under-test'],
    ['base64', Buffer.from('Bearer api-token-under-test').toString('base64')],
  ])('an error message echoing the API token %s is redacted when rendered', async (_name, echoed) => {
    const { rememberSecret } = await import('../../../src/redact.js');
    rememberSecret('api-token-under-test');
    const { transport } = scripted(envelope({ success: false, errors: [{ code: 1, message: `got ${echoed} here` }] }, 400));
    const text = rendered(await failure(apiRequest('POST', '/t', {}, options(transport))));
    expect(text).toMatch(/^tool: could not mint a read token for ns\/r: HTTP 400: got [A-Za-z0-9+/]*<redacted>[A-Za-z0-9+/=]* here \(code 1\)\n$/);
    expect(text).not.toMatch(/under|UNDER|756e646572/);
  });

  it('401 from Cloudflare\'s API: CLOUDFLARE_API_TOKEN outranks the stored login; `login` needs no --api-url', async () => {
    const { transport } = scripted(envelope({ success: false, errors: [{ code: 10000, message: 'no' }] }, 403));
    const e = await failure(apiRequest('POST', '/t', {}, { ...options(transport), apiUrl: 'https://api.cloudflare.com/client/v4' }));
    expect(e.hint).toContain('CLOUDFLARE_API_TOKEN, when set, outranks a stored login: unset it or set it to such a token, or run `git-credential-artifacts login` to store one');
  });

  it('401 from another account-scoped API (the emulator): the login it suggests names that --api-url', async () => {
    const { transport } = scripted(envelope({ success: false, errors: [{ code: 10000, message: 'no' }] }, 401));
    const e = await failure(apiRequest('POST', '/t', {}, { ...options(transport), apiUrl: 'http://127.0.0.1:9/client/v4' }));
    expect(e.hint).toContain('run `git-credential-artifacts login --api-url http://127.0.0.1:9/client/v4` to store one');
  });

  it('401: the hint says which variable outranks the login and that login fixes it, and the server words stay readable', async () => {
    const { rememberSecret } = await import('../../../src/redact.js');
    rememberSecret('api-token-under-test');
    const message = 'send Authorization: Bearer <API token> (repo tokens and gateway JWTs do not authenticate this API)';
    const { transport } = scripted(envelope({ success: false, errors: [{ code: 10000, message }] }, 401));
    const text = rendered(await failure(apiRequest('POST', '/t', {}, options(transport))));
    expect(text).toBe(
      `tool: the Cloudflare API refused to mint a read token for ns/r (HTTP 401): ${message} (code 10000)\n` +
        'tool: hint: the API token needs the "Artifacts Edit" permission on this account (minting even a read token needs Edit); ' +
        'ARTIFACTS_API_TOKEN, when set, outranks the login for this API URL: unset it or set it to such a token, ' +
        'or run `git-credential-artifacts login --api-url https://api.example/client/v4` to store one (`git-credential-artifacts status` shows which token is used)\n',
    );
  });
});
