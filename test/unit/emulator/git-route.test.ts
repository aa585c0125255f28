import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GitRequest } from '../../../src/emulator/git-route.js';
import { gitRequest, parseGitPath } from '../../../src/emulator/git-route.js';
import { namespaceError, repoNameError } from '../../../src/emulator/validation.js';

describe('parseGitPath', () => {
  it.each([
    ['/git/ns/demo.git/info/refs', { form: 'account', namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/git/ns/demo/git-upload-pack', { form: 'account', namespace: 'ns', repo: 'demo', rest: 'git-upload-pack' }],
    ['/git/ns/de%6Do.git/info/refs', { form: 'account', namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/git/ns/demo.git/info/ref%73', { form: 'account', namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/git/ns/demo.git', null],
    ['/git/ns/../info/refs', null],
    ['/git/ns/a%2Fb.git/info/refs', null],
    ['/git/ns%2Fx/demo.git/info/refs', null],
    ['/git/ns/demo.git/../x', null],
    ['/git/ns/demo.git/%2E%2E/info/refs', null],
    ['/git/ns/demo.git/info//refs', null],
    ['/git/ns/demo.git/info/refs/', null],
    // a decoded segment with a slash: joined back it would be a path the client never wrote
    ['/git/ns/demo.git/info%2Frefs', null],
    ['/git/ns/demo.git/objects%2F..%2F..%2Fx', null],
    ['/git/ns/demo.git/info%5Crefs', null],
    ['/git/ns/demo.git/info/refs%00', null],
    ['/git/ns/demo.git.git/info/refs', null],
    ['/git/ns/%E0%A4%A.git/info/refs', null],
    ['/git/n/demo.git/info/refs', null],
    ['/other/ns/demo.git/info/refs', null],
    // the namespace-scoped API's remotes: /<ns>/<repo>[.git], smart HTTP only
    ['/ns/demo.git/info/refs', { form: 'namespace', namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/ns/demo/git-upload-pack', { form: 'namespace', namespace: 'ns', repo: 'demo', rest: 'git-upload-pack' }],
    ['/ns/demo.git/git-receive-pack', { form: 'namespace', namespace: 'ns', repo: 'demo', rest: 'git-receive-pack' }],
    ['/ns/de%6Do.git/info/refs', { form: 'namespace', namespace: 'ns', repo: 'demo', rest: 'info/refs' }],
    ['/ns/demo.git/HEAD', null],
    ['/ns/demo.git/objects/info/packs', null],
    ['/ns/demo.git', null],
    ['/ns/demo.git/info/refs/', null],
    ['/ns/demo.git/info%2Frefs', null],
    ['/n/demo.git/info/refs', null],
    ['/ns/../info/refs', null],
    ['/ns/demo.git.git/info/refs', null],
    ['//demo.git/info/refs', null],
    ['/favicon.ico', null],
    // under /git/ it is always the account form: a namespace named git is served there only
    ['/git/demo.git/info/refs', { form: 'account', namespace: 'demo.git', repo: 'info', rest: 'refs' }],
  ])('%s', (p, want) => expect(parseGitPath(p)).toEqual(want));
});

describe('gitRequest', () => {
  const ok = (service: 'upload-pack' | 'receive-pack' | null, queryString = ''): GitRequest => ({ ok: true, service, queryString });
  const bad = expect.objectContaining({ ok: false, message: expect.stringMatching(/^Bad request: /) }) as GitRequest;
  it.each<[string, string, string, GitRequest]>([
    ['GET', 'info/refs', 'service=git-upload-pack', ok('upload-pack', 'service=git-upload-pack')],
    ['GET', 'info/refs', 'service=git-receive-pack', ok('receive-pack', 'service=git-receive-pack')],
    ['GET', 'info/refs', 'service=git%2Dupload-pack', ok('upload-pack', 'service=git-upload-pack')],
    // other parameters are dropped, never handed to the backend
    ['GET', 'info/refs', 'service=git-upload-pack&x=1', ok('upload-pack', 'service=git-upload-pack')],
    // http-backend reads this as x="service=git-upload-pack" (no service); it gets ours instead
    ['GET', 'info/refs', 'x&service=git-upload-pack', ok('upload-pack', 'service=git-upload-pack')],
    ['GET', 'info/refs', '', ok(null)],
    ['GET', 'info/refs', 'x=1', ok(null)],
    // more than one service: URLSearchParams.get takes the first, http-backend the last
    ['GET', 'info/refs', 'service=git-upload-pack&service=git-receive-pack', bad],
    ['GET', 'info/refs', 'service=git-upload-pack&service=git-upload-pack', bad],
    ['GET', 'info/refs', 'service=git-upload-pack&serv%69ce=git-receive-pack', bad],
    ['GET', 'info/refs', 'service=git-upload-pack&service%00=git-receive-pack', bad],
    ['GET', 'info/refs', 'service=git-upload-pack&service', bad],
    // unknown services, including what http-backend reads as service=git-receive-pack
    ['GET', 'info/refs', 'service&git-receive-pack', bad],
    ['GET', 'info/refs', 'service=', bad],
    ['GET', 'info/refs', 'service=git-upload-archive', bad],
    ['GET', 'info/refs', 'service=git-upload-pack%00', bad],
    ['GET', 'info/refs', 'service=GIT-UPLOAD-PACK', bad],
    ['GET', 'info/refs', 'service=git+upload-pack', bad],
    ['POST', 'git-upload-pack', '', ok('upload-pack')],
    ['POST', 'git-receive-pack', '', ok('receive-pack')],
    ['POST', 'git-upload-pack', 'service=git-upload-pack', ok('upload-pack')],
    ['POST', 'git-upload-pack', 'x=1', ok('upload-pack')],
    ['POST', 'git-upload-pack', 'service=git-receive-pack', bad],
    ['POST', 'git-receive-pack', 'service=git-upload-pack', bad],
    ['POST', 'git-upload-pack', 'service=', bad],
    ['POST', 'git-upload-pack', 'service=git-upload-pack&service=git-upload-pack', bad],
    ['GET', 'git-receive-pack', '', ok(null)],
    ['GET', 'git-receive-pack', 'service=git-receive-pack', ok(null)],
    ['HEAD', 'info/refs', 'service=git-upload-pack', ok(null)],
    ['PUT', 'git-receive-pack', '', ok(null)],
    ['GET', 'HEAD', '', ok(null)],
    ['GET', 'HEAD', 'service=a&service=b', bad],
    ['GET', 'objects/info/packs', '', ok(null)],
  ])('%s %s?%s', (method, rest, query, want) => expect(gitRequest(method, rest, query)).toEqual(want));
});

describe('parseGitPath, property: both path forms', () => {
  const seg = fc.oneof(
    fc.constantFrom('git', 'ns', 'demo', 'demo.git', 'info', 'refs', 'git-upload-pack', 'git-receive-pack', '..', '.', '', '%2F', '%2e%2e', 'a%00', 'HEAD', 'v1', 'api'),
    fc.string({ maxLength: 6 }),
  );
  const rawPath = fc.array(seg, { maxLength: 7 }).map((parts) => `/${parts.join('/')}`);
  it('yields valid names, a form that matches the path, and only smart HTTP at the root', () => {
    fc.assert(
      fc.property(rawPath, (p) => {
        const t = parseGitPath(p);
        if (!t) return;
        expect(namespaceError(t.namespace)).toBeNull();
        expect(repoNameError(t.repo)).toBeNull();
        expect(t.form).toBe(p.startsWith('/git/') ? 'account' : 'namespace');
        if (t.form === 'namespace') expect(['info/refs', 'git-upload-pack', 'git-receive-pack']).toContain(t.rest);
        expect(t.rest.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
