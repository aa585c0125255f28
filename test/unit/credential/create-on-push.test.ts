// The credential helper's side of push-to-create (src/credential/create-on-push.ts, issue 23):
// after a write mint's 404, create or refuse per the operation file's mode, and say "created"
// only when this push created the repo. Answers scripted through the client's transport seam.
import { describe, expect, it } from 'vitest';
import { createOnPush } from '../../../src/credential/create-on-push.js';
import type { HttpAnswer, HttpTransport } from '../../../src/controlplane/http-request.js';
import type { ControlPlane } from '../../../src/controlplane/routes.js';
import { ArtifactsError } from '../../../src/errors.js';

const cp: ControlPlane = { shape: 'account', apiUrl: 'https://api.example.test/client/v4', account: 'acc' };
const ref = { namespace: 'default', repo: 'new-repo' };
const notFound = new ArtifactsError('api.not_found', 'could not mint a write token for default/new-repo in account acc: not found (HTTP 404)');

function run(mode: 'create' | 'no-create', ...answers: HttpAnswer[]) {
  const said: string[] = [];
  let posts = 0;
  const transport: HttpTransport = async () => {
    posts++;
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return next;
  };
  const request = { apiToken: 't', deadline: Date.now() + 30_000, transport };
  return { said, posts: () => posts, done: createOnPush({ cp, ref, mode, notFound, request, say: (m) => said.push(m) }) };
}
const answer = (status: number, body: unknown): HttpAnswer => ({ status, header: () => null, body: JSON.stringify(body) });

describe('createOnPush', () => {
  it.each([
    { name: '201: created, one line', status: 201, body: { success: true, errors: [], result: { name: 'new-repo' } }, said: ['created default/new-repo'] },
    { name: '409 ALREADY_EXISTS: a concurrent push created it, no line', status: 409, body: { success: false, errors: [{ code: 10201, message: 'exists' }] }, said: [] },
  ])('$name', async ({ status, body, said }) => {
    const r = run('create', answer(status, body));
    await r.done;
    expect(r.said).toEqual(said);
    expect(r.posts()).toBe(1);
  });

  it('no-create: refuses without a request, naming the setting and keeping the 404 as its cause', async () => {
    const r = run('no-create');
    const e = await r.done.catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'api.not_found',
      message: 'repo default/new-repo does not exist in account acc, and git config artifacts.createOnPush is false, so this push does not create it',
      cause: notFound,
    });
    expect((e as ArtifactsError).hint).toContain('git config --global --unset artifacts.createOnPush');
    expect(r.posts()).toBe(0);
    expect(r.said).toEqual([]);
  });
});
