// POST /repos for push-to-create (src/controlplane/repos.ts, issue 23), through the client's
// transport seam: what each answer becomes. No network; fake clock so no retry waits.
import { afterEach, describe, expect, it } from 'vitest';
import { createRefusedHint, createRepo, createSettlement, reposPath, untilVisible } from '../../../src/controlplane/repos.js';
import type { HttpAnswer, HttpCall, HttpTransport } from '../../../src/controlplane/http-request.js';
import type { ControlPlane } from '../../../src/controlplane/routes.js';
import { repoRule } from '../../../src/endpoint/repo-path.js';
import { ArtifactsError, isArtifactsError } from '../../../src/errors.js';
import { forgetSecrets, redact } from '../../../src/redact.js';

afterEach(() => forgetSecrets());

const account: ControlPlane = { shape: 'account', apiUrl: 'https://api.example.test/client/v4', account: 'acc' };
const gateway: ControlPlane = { shape: 'namespace', apiUrl: 'https://gw.example.test/v1/api' };
const ref = { namespace: 'default', repo: 'new-repo' };

const envelope = (status: number, body: unknown): HttpAnswer => ({ status, header: () => null, body: JSON.stringify(body) });
const failure = (status: number, code: number, message = 'no') => envelope(status, { success: false, errors: [{ code, message }], messages: [], result: null });

function scripted(...answers: HttpAnswer[]) {
  const calls: HttpCall[] = [];
  const transport: HttpTransport = async (call) => {
    calls.push(call);
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return next;
  };
  let t = Date.UTC(2026, 0, 1);
  const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
  return { calls, options: { apiToken: 'api-token', deadline: t + 30_000, transport, random: () => 0, ...clock } };
}

describe('createSettlement', () => {
  it.each([
    { status: 409, codes: [10201], want: { value: { existed: true } } },
    { status: 409, codes: [10302], want: undefined }, // import in progress: an ordinary 409, retried
    { status: 409, codes: [], want: undefined },
    { status: 404, codes: [10200], want: undefined },
    { status: 403, codes: [10000], want: undefined },
    { status: 500, codes: [], want: undefined },
  ])('$status $codes -> $want', ({ status, codes, want }) => {
    expect(createSettlement(ref, 'create', status, codes.map((code) => ({ code, message: 'm' })))).toEqual(want);
  });

  it('400 INVALID_REPO_NAME states the rule', () => {
    expect(() => createSettlement(ref, 'create repo default/new-repo', 400, [{ code: 10101, message: 'bad name' }])).toThrow(
      expect.objectContaining({ code: 'remote.invalid', hint: expect.stringContaining(repoRule) }),
    );
  });
});

describe('createRepo', () => {
  it('201: created, the answer\'s remote, one POST with the name only; its token is remembered as a secret', async () => {
    const { calls, options } = scripted(envelope(201, { success: true, errors: [], messages: [], result: { name: 'new-repo', remote: 'https://x/git/default/new-repo.git', token: 'art_v1_0123456789abcdef0123456789abcdef01234567?expires=1' } }));
    expect(await createRepo(account, ref, options)).toEqual({ created: true, remote: 'https://x/git/default/new-repo.git' });
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([['POST', `${account.apiUrl}${reposPath(account, 'default')}`, '{"name":"new-repo"}']]);
    expect(reposPath(account, 'default')).toBe('/accounts/acc/artifacts/namespaces/default/repos');
    expect(redact('art_v1_0123456789abcdef0123456789abcdef01234567')).not.toContain('0123456789abcdef');
  });

  it('409 ALREADY_EXISTS: not created, no retry', async () => {
    const { calls, options } = scripted(failure(409, 10201, 'repo default/new-repo already exists'));
    expect(await createRepo(account, ref, options)).toEqual({ created: false, remote: undefined });
    expect(calls).toHaveLength(1);
  });

  it.each([
    { cp: account, want: 'creating a repo needs an API token with the "Artifacts Edit" permission on account acc' },
    { cp: gateway, want: 'creating a repo needs a gateway JWT (ARTIFACTS_JWT, else the login for https://gw.example.test/v1/api) that may create repos in namespace default' },
  ])('403 on the $cp.shape API names the right it takes', async ({ cp, want }) => {
    const { options } = scripted(failure(403, 10000, 'Forbidden'));
    const e = await createRepo(cp, ref, options).catch((x: unknown) => x);
    expect(isArtifactsError(e) && e.code).toBe('auth.rejected');
    expect(isArtifactsError(e) && e.message).toContain('refused to create repo default/new-repo');
    expect(isArtifactsError(e) && e.hint).toContain(want);
    expect(createRefusedHint(cp, ref)).toContain('artifacts.createOnPush false');
  });
});

// After 409 ALREADY_EXISTS the other push's repo may not be visible yet: 404s are waited out.
describe('untilVisible', () => {
  const notFound = () => new ArtifactsError('api.not_found', 'repo default/new-repo not found');
  it.each([
    { name: 'visible at once', answers: ['ok'], deadlineMs: 5_000, want: 'ok', calls: 1 },
    { name: 'two 404s, then visible', answers: ['404', '404', 'ok'], deadlineMs: 5_000, want: 'ok', calls: 3 },
    { name: 'another failure is final at once', answers: ['403', 'ok'], deadlineMs: 5_000, want: 'auth.rejected', calls: 1 },
    { name: 'past the deadline the 404 is the answer', answers: ['404', 'ok'], deadlineMs: 50, want: 'api.not_found', calls: 1 },
  ])('$name', async ({ answers, deadlineMs, want, calls }) => {
    let n = 0;
    const attempt = async (): Promise<string> => {
      const a = answers[n++];
      if (a === '404') throw notFound();
      if (a === '403') throw new ArtifactsError('auth.rejected', 'refused');
      return a!;
    };
    const got = await untilVisible(attempt, Date.now() + deadlineMs).catch((e: unknown) => (isArtifactsError(e) ? e.code : e));
    expect(got).toBe(want);
    expect(n).toBe(calls);
  });
});
