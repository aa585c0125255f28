// The namespace-scoped control plane (/v1/api and /edge/v1/api, gateway JWT) beside the
// account-scoped one (/client/v4, API token) on one emulator: the same routes below a
// namespace, each API taking only its own credential, remotes in each API's path form, and
// git served on both forms (docs/git-and-artifacts-behaviour.md, "REST control plane").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { CreatedRepo, Emulator, MintedToken, RestLogEntry } from '../../support/emulator.js';
import { makeGitHome, type GitHome } from '../../support/git-home.js';
import { pathGit } from '../../support/gits.js';
import { settledLog } from '../../support/artifacts-home.js';

let emu: Emulator;
let home: GitHome;
const bases = (): [string, string][] => [
  ['/v1/api', emu.gatewayUrl],
  ['/edge/v1/api', emu.edgeUrl],
];
const pathOf = (base: string, rest: string): string => `${base.slice(emu.url.length)}${rest}`;

withEmulator((e) => (emu = e));
beforeAll(async () => {
  home = makeGitHome(pathGit());
});
afterAll(async () => {
  home?.cleanup();
});

describe.each([['/v1/api'], ['/edge/v1/api']])('the namespace-scoped API at %s', (mount) => {
  const base = (): string => bases().find(([m]) => m === mount)![1];
  const ns = mount === '/v1/api' ? 'gw' : 'edge';
  const call = <T>(method: string, rest: string, body?: unknown) => emu.rest<T>(method, pathOf(base(), rest), body, emu.jwt);

  it('creates, reads, lists, mints, lists tokens, revokes and deletes with the JWT', async () => {
    const created = await call<CreatedRepo>('POST', `/namespaces/${ns}/repos`, { name: 'r1', description: 'd' });
    expect(created.status).toBe(201);
    expect(created.body.success).toBe(true);
    // That era's remotes: two path segments, no git/ prefix.
    expect(created.body.result.remote).toBe(`${emu.url}/${ns}/r1.git`);
    expect(created.body.result.token).toMatch(/^art_v1_[0-9a-f]{40}\?expires=\d+$/);

    const got = await call<{ name: string; remote: string }>('GET', `/namespaces/${ns}/repos/r1`);
    expect(got.status).toBe(200);
    expect(got.body.result).toMatchObject({ name: 'r1', description: 'd', remote: `${emu.url}/${ns}/r1.git` });
    // One store: the account-scoped API sees the same repo, with its own remote form.
    const viaAccount = await emu.rest<{ remote: string }>('GET', `${emu.nsUrl(ns).slice(emu.url.length)}/repos/r1`);
    expect(viaAccount.body.result.remote).toBe(`${emu.url}/git/${ns}/r1.git`);

    const listed = await call<{ name: string; remote: string }[]>('GET', `/namespaces/${ns}/repos`);
    expect(listed.body.result.map((r) => [r.name, r.remote])).toEqual([['r1', `${emu.url}/${ns}/r1.git`]]);
    expect(listed.body.result_info).toMatchObject({ count: 1 });

    const minted = await call<MintedToken>('POST', `/namespaces/${ns}/tokens`, { repo: 'r1', scope: 'read', ttl: 600 });
    expect(minted.status).toBe(201);
    expect(minted.body.result).toMatchObject({ scope: 'read' });
    const tokens = await call<{ id: string }[]>('GET', `/namespaces/${ns}/repos/r1/tokens`);
    expect(tokens.body.result.map((t) => t.id)).toContain(minted.body.result.id);
    const revoked = await call<{ id: string }>('DELETE', `/namespaces/${ns}/tokens/${minted.body.result.id}`);
    expect(revoked.status).toBe(200);

    const forked = await call<CreatedRepo & { objects: number }>('POST', `/namespaces/${ns}/repos/r1/fork`, { name: 'r1-fork' });
    expect(forked.status).toBe(201);
    expect(forked.body.result.remote).toBe(`${emu.url}/${ns}/r1-fork.git`);

    // An import from this emulator's own remote in the namespace-scoped form, read from its disk.
    const imported = await call<CreatedRepo>('POST', `/namespaces/${ns}/repos/r1-copy/import`, { url: created.body.result.remote });
    expect(imported.status, JSON.stringify(imported.body.errors)).toBe(201);
    expect(imported.body.result.remote).toBe(`${emu.url}/${ns}/r1-copy.git`);
    await emu.settledLog(); // the background import has run
    expect((await call('GET', `/namespaces/${ns}/repos/r1-copy`)).status).toBe(200);

    const deleted = await call<{ id: string }>('DELETE', `/namespaces/${ns}/repos/r1-fork`);
    expect(deleted.status).toBe(202);
    expect((await call('GET', `/namespaces/${ns}/repos/r1-fork`)).status).toBe(404);
  });

  it('answers 401 to the API token, a repo token, another bearer and none', async () => {
    const repo = await call<CreatedRepo>('POST', `/namespaces/${ns}/repos`, { name: 'auth' });
    for (const bearer of [emu.apiToken, repo.body.result.token, 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', null]) {
      for (const [method, rest, body] of [
        ['GET', `/namespaces/${ns}/repos/auth`, undefined],
        ['POST', `/namespaces/${ns}/tokens`, { repo: 'auth', scope: 'read' }],
        ['POST', `/namespaces/${ns}/repos`, { name: 'never' }],
      ] as const) {
        const r = await emu.rest(method, pathOf(base(), rest), body, bearer);
        expect(r.status, `${method} ${rest} with ${bearer === null ? 'no credential' : 'another credential'}`).toBe(401);
        expect(r.body.success).toBe(false);
        expect(r.body.errors[0]?.message).toMatch(/gateway JWT/);
      }
    }
    expect((await call('GET', `/namespaces/${ns}/repos/never`)).status).toBe(404);
  });

  it('has no account-level routes: only what is below /namespaces/<ns>', async () => {
    expect((await call('GET', '/namespaces')).status).toBe(404);
    expect((await call('POST', '/namespaces', { namespace: 'nope' })).status).toBe(404);
    expect((await call('GET', `/accounts/${emu.account}/artifacts/namespaces/${ns}/repos`)).status).toBe(404);
    expect((await call('GET', `/namespaces/${ns}`)).status).toBe(200);
  });
});

describe('the account-scoped API', () => {
  it('answers 401 to the gateway JWT', async () => {
    const r = await emu.rest('GET', `${emu.nsUrl('acct').slice(emu.url.length)}/repos`, undefined, emu.jwt);
    expect(r.status).toBe(401);
    expect(r.body.errors[0]?.message).toMatch(/API token/);
    const mint = await emu.rest('POST', `${emu.nsUrl('acct').slice(emu.url.length)}/tokens`, { repo: 'x', scope: 'read' }, emu.jwt);
    expect(mint.status).toBe(401);
  });

  it('and the test aids take the API token only', async () => {
    expect((await emu.rest('GET', '/__emulator/log', undefined, emu.jwt)).status).toBe(401);
  });
});

describe('the request log', () => {
  it('says which API each call came through and which credential it carried', async () => {
    await emu.clearLog();
    await emu.rest('POST', pathOf(emu.gatewayUrl, '/namespaces/logged/repos'), { name: 'x' }, emu.jwt);
    await emu.rest('POST', pathOf(emu.edgeUrl, '/namespaces/logged/tokens'), { repo: 'x', scope: 'read' }, emu.jwt);
    await emu.rest('GET', `${emu.nsUrl('logged').slice(emu.url.length)}/repos/x`, undefined, emu.jwt);
    await emu.rest('GET', pathOf(emu.gatewayUrl, '/namespaces/logged/repos/x'), undefined, emu.apiToken);
    await emu.rest('GET', pathOf(emu.gatewayUrl, '/namespaces/logged/repos/x'), undefined, null);
    const log = (await settledLog(emu)) as RestLogEntry[];
    expect(log.map((e) => [e.kind, e.api, e.credential, e.status])).toEqual([
      ['rest', 'namespace', 'jwt', 201],
      ['mint', 'namespace', 'jwt', 201],
      ['rest', 'account', 'jwt', 401],
      ['rest', 'namespace', 'api-token', 401],
      ['rest', 'namespace', 'none', 401],
    ]);
  });
});

describe(`git on both path forms with ${pathGit().label}`, () => {
  it('clones and pushes <origin>/<ns>/<repo>.git and <origin>/git/<ns>/<repo>.git', async () => {
    const created = (await emu.rest<CreatedRepo>('POST', pathOf(emu.gatewayUrl, '/namespaces/forms/repos'), { name: 'both' }, emu.jwt)).body.result;
    const env = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${created.token}` };
    const git = async (args: string[], cwd = home.dir) => {
      const r = await home.git(args, { cwd, env });
      expect(r.code, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await emu.clearLog();
    await git(['clone', '-q', created.remote, 'two']);
    await git(['commit', '-q', '--allow-empty', '-m', 'one'], `${home.dir}/two`);
    await git(['push', '-q', 'origin', 'HEAD:refs/heads/main'], `${home.dir}/two`);
    await git(['clone', '-q', `${emu.url}/git/forms/both.git`, 'three']);
    expect((await git(['log', '--format=%s'], `${home.dir}/three`)).stdout.trim()).toBe('one');
    const forms = (await settledLog(emu)).filter((e) => e.kind === 'git').map((e) => e.kind === 'git' && `${e.form} ${e.service} ${e.status}`);
    expect(new Set(forms)).toEqual(new Set(['namespace upload-pack 200', 'namespace receive-pack 200', 'account upload-pack 200']));
  });

  it('answers paths at the root that are not smart HTTP with 404', async () => {
    for (const p of ['/forms/both.git', '/forms/both.git/HEAD', '/favicon.ico', '/v1/other']) {
      expect((await fetch(`${emu.url}${p}`)).status, p).toBe(404);
    }
  });
});
