// Fork and import over REST (https://developers.cloudflare.com/artifacts/api/rest-api/): import
// runs in the background and the repo answers 409 10302 until it is done; sources are this
// emulator's remotes or, with the test-only --allow-local-import, local paths (import-url.test.ts
// covers the default, http(s) only).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { CreatedRepo, Emulator } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { makeGitHome } from '../../support/git-home.js';
import { pathGit } from '../../support/gits.js';

let emu: Emulator;
let home: GitHome;
let source: CreatedRepo;
const ns = 'imp';
const nsPath = (): string => emu.nsUrl(ns).slice(emu.url.length);
const bearer = (token: string): NodeJS.ProcessEnv => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}` });

withEmulator((e) => (emu = e), { args: ['--allow-local-import'] });
beforeAll(async () => {
  home = makeGitHome();
  source = await emu.createRepo(ns, 'source');
  await home.git(['init', '-q', '-b', 'trunk', 'local']);
  const local = path.join(home.dir, 'local');
  writeFileSync(path.join(local, 'a.txt'), 'a\n');
  await home.git(['add', '.'], { cwd: local });
  await home.git(['commit', '-qm', 'imported'], { cwd: local });
  await home.git(['tag', 'v1'], { cwd: local });
  expect((await home.git(['push', '-q', source.remote, 'trunk:main', 'v1'], { cwd: local, env: bearer(source.token) })).code).toBe(0);
});
afterAll(async () => {
  home?.cleanup();
});

/** The repo once the emulator's background imports are done (GET /__emulator/log/settled waits for them). */
async function waitReady(name: string): Promise<Record<string, unknown>> {
  await emu.settledLog();
  const r = await emu.rest<Record<string, unknown>>('GET', `${nsPath()}/repos/${name}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.result;
}

describe(`import with ${pathGit().label}`, () => {
  it('from another repo of this emulator, answering 409 10302 while in progress', async () => {
    await emu.faults({ holdImports: true });
    const r = await emu.rest<CreatedRepo>('POST', `${nsPath()}/repos/copy/import`, { url: source.remote });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body.result).sort()).toEqual(['default_branch', 'description', 'id', 'name', 'remote', 'token']);
    const during = await emu.rest('GET', `${nsPath()}/repos/copy`);
    expect(during.status).toBe(409);
    expect(during.body.errors[0]?.code).toBe(10302);
    const again = await emu.rest('POST', `${nsPath()}/repos/copy/import`, { url: source.remote });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]?.code).toBe(10302);
    expect((await emu.rest('POST', `${nsPath()}/tokens`, { repo: 'copy', scope: 'read' })).status).toBe(409);
    await emu.held('import');
    await emu.clearFaults(); // lets the import go on
    const ready = await waitReady('copy');
    expect(ready).toMatchObject({ name: 'copy', source: source.remote, default_branch: 'main' });
    const ls = await home.git(['ls-remote', r.body.result.remote], { env: bearer(r.body.result.token) });
    expect(ls.stdout).toMatch(/refs\/heads\/main/);
    expect(ls.stdout).toMatch(/refs\/tags\/v1/);
    // a finished import is an existing repo
    expect((await emu.rest('POST', `${nsPath()}/repos/copy/import`, { url: source.remote })).body.errors[0]?.code).toBe(10201);
  });

  it('from a local path and a file:// URL, keeping the source HEAD branch', async () => {
    const local = path.join(home.dir, 'local');
    for (const [name, url] of [['from-path', local], ['from-file-url', pathToFileURL(local).href]] as const) {
      const r = await emu.rest<CreatedRepo>('POST', `${nsPath()}/repos/${name}/import`, { url });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.result.default_branch).toBe('trunk');
      await waitReady(name);
      const clone = await home.git(['clone', '-q', r.body.result.remote, `c-${name}`], { env: bearer(r.body.result.token) });
      expect(clone.code, clone.stderr).toBe(0);
      expect((await home.git(['log', '--format=%s'], { cwd: path.join(home.dir, `c-${name}`) })).stdout.trim()).toBe('imported');
    }
  });

  it.each([
    [{}, 400, 10100],
    [{ url: 7 }, 400, 10100],
    [{ url: 'ftp://example.invalid/x.git' }, 400, 10104],
    [{ url: 'relative/path' }, 400, 10104],
    [{ url: '/nonexistent/repo.git' }, 400, 10104],
    [{ url: 'http://127.0.0.1:1/git/imp/ghost.git' }, 400, 10104],
    [{ url: '--upload-pack=touch /tmp/pwned' }, 400, 10104],
    // the flag opens local paths only, never other git transports
    [{ url: 'ssh://git@127.0.0.1/x.git' }, 400, 10104],
    [{ url: 'git://127.0.0.1/x.git' }, 400, 10104],
    [{ url: 'ext::sh' }, 400, 10104],
    [{ url: 'git@127.0.0.1:x.git' }, 400, 10104],
    [{ url: '/tmp', depth: 0 }, 400, 10100],
  ])('refuses %j', async (body, status, code) => {
    const r = await emu.rest('POST', `${nsPath()}/repos/bad-import/import`, body);
    expect(r.status).toBe(status);
    expect(r.body.errors[0]?.code).toBe(code);
    expect((await emu.rest('GET', `${nsPath()}/repos/bad-import`)).status).toBe(404);
  });
});

describe(`fork with ${pathGit().label}`, () => {
  it('copies into the same namespace with a fresh write token', async () => {
    const r = await emu.rest<CreatedRepo & { objects: number }>('POST', `${nsPath()}/repos/source/fork`, { name: 'forked', description: 'f' });
    expect(r.status).toBe(201);
    expect(r.body.result).toMatchObject({ name: 'forked', description: 'f', default_branch: 'main', remote: `${emu.url}/git/${ns}/forked.git` });
    expect(r.body.result.objects).toBe(3);
    expect(r.body.result.token).not.toBe(source.token);
    expect((await emu.rest('GET', `${nsPath()}/repos/forked`)).body.result).toMatchObject({ source: source.remote });
  });

  it.each([
    ['source', { name: 'source' }, 409, 10201],
    ['source', {}, 400, 10100],
    ['source', { name: '../x' }, 400, 10101],
    ['missing', { name: 'x' }, 404, 10200],
  ])('fork of %s with %j -> %d %d', async (parent, body, status, code) => {
    const r = await emu.rest('POST', `${nsPath()}/repos/${parent}/fork`, body);
    expect(r.status).toBe(status);
    expect(r.body.errors[0]?.code).toBe(code);
  });
});
