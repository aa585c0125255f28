// Real git (every git under test) against the emulator's smart HTTP: both auth forms, protocol
// v0 and v2, push, and the service's refusals (docs/git-and-artifacts-behaviour.md, "Git-side
// 401 and 403": 401 / 403 `Invalid or expired token` / 403 `Insufficient permissions`). Tokens
// reach git through GIT_CONFIG_* env, not argv.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator, GitLogEntry } from '../../support/emulator.js';
import type { GitHome } from '../../support/git-home.js';
import { makeGitHome } from '../../support/git-home.js';
import { gitsUnderTest } from '../../support/gits.js';

let emu: Emulator;
withEmulator((e) => (emu = e));

const secretOf = (token: string): string => token.split('?expires=')[0] ?? '';
const headerEnv = (header: string): NodeJS.ProcessEnv => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: header });
const bearer = (token: string): NodeJS.ProcessEnv => headerEnv(`Authorization: Bearer ${token}`);
const basic = (user: string, pass: string): NodeJS.ProcessEnv => headerEnv(`Authorization: Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`);
const inUrl = (remote: string, user: string, pass: string): string =>
  remote.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@`);

async function lastGit(): Promise<GitLogEntry | undefined> {
  // Settled: the log of a request is written after its answer, so the last one may be on its way.
  return (await emu.settledLog()).filter((e): e is GitLogEntry => e.kind === 'git').at(-1);
}

describe('git smart HTTP responses (raw)', () => {
  it('401 with the Basic realm challenge; 403 bodies are text/plain', async () => {
    const repo = await emu.createRepo('raw', 'r');
    const res = await fetch(`${repo.remote}/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="artifacts"');
    const bad = await fetch(`${repo.remote}/info/refs?service=git-upload-pack`, { headers: { Authorization: 'Bearer art_v1_0000000000000000000000000000000000000000' } });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await bad.text()).trim()).toBe('Invalid or expired token');
    // the API token never opens git
    expect((await fetch(`${repo.remote}/info/refs?service=git-upload-pack`, { headers: { Authorization: `Bearer ${emu.apiToken}` } })).status).toBe(403);
    // unknown repo: 401 without credentials, 403 with a token of another repo; malformed: 404
    const ghost = repo.remote.replace('/r.git', '/ghost.git');
    expect((await fetch(`${ghost}/info/refs?service=git-upload-pack`)).status).toBe(401);
    expect((await fetch(`${ghost}/info/refs?service=git-upload-pack`, { headers: { Authorization: `Bearer ${repo.token}` } })).status).toBe(403);
    expect((await fetch(`${emu.url}/git/raw/a%2Fb.git/info/refs?service=git-upload-pack`)).status).toBe(404);
    // dumb-HTTP paths are not served, even with a good token
    expect((await fetch(`${repo.remote}/HEAD`, { headers: { Authorization: `Bearer ${repo.token}` } })).status).toBe(404);
  });
});

describe('git requests git would never send (raw)', () => {
  let remote: string;
  let read: string;
  beforeAll(async () => {
    const repo = await emu.createRepo('raw', 'smuggle');
    remote = repo.remote;
    read = (await emu.mintToken('raw', 'smuggle', 'read', 600)).plaintext;
  });
  const get = (suffix: string, token?: string, method = 'GET'): Promise<Response> =>
    fetch(`${remote}${suffix}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(method === 'POST' ? { 'Content-Type': `application/x-${suffix.slice(1).split('?')[0] ?? ''}-request` } : {}) },
      ...(method === 'POST' ? { body: '0000' } : {}),
    });
  /** The status of a GET sent with this exact path: fetch() would resolve `%2E%2E` itself. */
  const rawStatus = (rawPath: string, token: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const u = new URL(emu.url);
      const r = http.get({ host: u.hostname, port: u.port, path: rawPath, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on('error', reject);
    });

  it.each([
    // http-backend keeps the last `service`, so this once gave a read token receive-pack's refs
    '/info/refs?service=git-upload-pack&service=git-receive-pack',
    '/info/refs?service=git-upload-pack&serv%69ce=git-receive-pack',
    '/info/refs?service=git-upload-pack&service%00=git-receive-pack',
    // http-backend reads this as service=git-receive-pack
    '/info/refs?service&git-receive-pack',
    '/info/refs?service=git-upload-archive',
    '/info/refs?service=',
  ])('GET %s: 400 text/plain before auth, with or without a token', async (suffix) => {
    await emu.clearLog();
    for (const token of [read, undefined]) {
      const res = await get(suffix, token);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(/^Bad request: /);
    }
    expect((await emu.log()).filter((e) => e.kind === 'git')).toEqual([
      expect.objectContaining({ status: 400, tokenId: null, auth: null }),
      expect.objectContaining({ status: 400, tokenId: null, auth: null }),
    ]);
  });

  it.each([
    ['/git-upload-pack?service=git-receive-pack'],
    ['/git-receive-pack?service=git-upload-pack'],
    ['/git-upload-pack?service=git-upload-pack&service=git-upload-pack'],
  ])('POST %s: 400 before auth', async (suffix) => {
    for (const token of [read, undefined]) expect((await get(suffix, token, 'POST')).status).toBe(400);
  });

  it('hands http-backend only the service it authorized', async () => {
    // http-backend alone would read `x&service=…` as no service and answer with dumb-HTTP refs
    const res = await get('/info/refs?x&service=git-upload-pack', read);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    expect(await res.text()).toMatch(/# service=git-upload-pack\n/);
    const push = await get('/info/refs?service=git-receive-pack&x=service%3Dgit-upload-pack', read);
    expect(push.status).toBe(403); // a read token, whatever else the query says
    const post = await get('/git-upload-pack?service=git-upload-pack', read, 'POST');
    expect(post.status).toBe(200);
    expect(post.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
  });

  it.each([
    '/info%2Frefs?service=git-upload-pack',
    '/objects%2F..%2F..%2Finfo%2Frefs?service=git-upload-pack',
    '/%2E%2E/smuggle.git/info/refs?service=git-upload-pack',
    '/info/refs/?service=git-upload-pack',
    '/info/refs%00?service=git-upload-pack',
  ])('path trick %s: 404', async (suffix) => {
    expect(await rawStatus(`${new URL(remote).pathname}${suffix}`, read)).toBe(404);
    expect(await rawStatus(`${new URL(remote).pathname}/info/refs?service=git-upload-pack`, read)).toBe(200);
  });

  it('serves the repo only under its own namespace and name', async () => {
    // encoded names resolve to the same repo; a `.git.git` or a slash inside a name does not
    expect((await fetch(`${emu.url}/git/raw/smuggl%65.git/info/refs?service=git-upload-pack`, { headers: { Authorization: `Bearer ${read}` } })).status).toBe(200);
    expect((await fetch(`${emu.url}/git/raw/smuggle.git.git/info/refs?service=git-upload-pack`, { headers: { Authorization: `Bearer ${read}` } })).status).toBe(404);
    expect((await fetch(`${emu.url}/git/raw%2Fsmuggle.git/x/info/refs?service=git-upload-pack`, { headers: { Authorization: `Bearer ${read}` } })).status).toBe(404);
  });
});

describe.each(gitsUnderTest())('$label', (git) => {
  let home: GitHome;
  let ns: string;
  let remote: string;
  let token: string;
  const work = (): string => path.join(home.dir, 'work');

  beforeAll(async () => {
    home = makeGitHome(git);
    ns = `g${git.version.join('')}`;
    const repo = await emu.createRepo(ns, 'demo');
    remote = repo.remote;
    token = repo.token;
    expect((await home.git(['init', '-q', 'work'])).code).toBe(0);
    writeFileSync(path.join(work(), 'hello.txt'), 'hello\n');
    await home.git(['add', '.'], { cwd: work() });
    expect((await home.git(['commit', '-qm', 'first'], { cwd: work() })).code).toBe(0);
  });
  afterAll(() => home?.cleanup());

  it('pushes with Basic x:<secret> in the URL and clones with Bearer (full token)', async () => {
    await emu.clearLog();
    const push = await home.git(['push', inUrl(remote, 'x', secretOf(token)), 'main'], { cwd: work() });
    expect(push.stderr).toContain('main -> main');
    expect(push.code).toBe(0);
    const clone = await home.git(['clone', '-q', remote, 'c-bearer'], { env: bearer(token) });
    expect(clone.code).toBe(0);
    expect((await home.git(['log', '--format=%s'], { cwd: path.join(home.dir, 'c-bearer') })).stdout.trim()).toBe('first');
    const gits = (await emu.log()).filter((e): e is GitLogEntry => e.kind === 'git' && e.status === 200);
    expect(gits).toContainEqual(expect.objectContaining({ namespace: ns, repo: 'demo', service: 'receive-pack', auth: 'basic', scope: 'write' }));
    expect(gits).toContainEqual(expect.objectContaining({ service: 'upload-pack', auth: 'bearer', tokenId: expect.stringMatching(/^[0-9a-z]{16}$/) }));
    const info = await emu.rest<{ last_push_at: string | null }>('GET', `${emu.nsUrl(ns).slice(emu.url.length)}/repos/demo`);
    expect(info.body.result.last_push_at).not.toBeNull();
  });

  it('fetches over protocol v2 and v0', async () => {
    const env = { ...bearer(token), GIT_TRACE_PACKET: '1' };
    const v2 = await home.git(['ls-remote', remote], { env });
    expect(v2.code).toBe(0);
    expect(v2.stderr).toMatch(/< version 2/);
    expect(v2.stdout).toMatch(/refs\/heads\/main/);
    const v0 = await home.git(['-c', 'protocol.version=0', 'clone', '-q', remote, 'c-v0'], { env });
    expect(v0.code).toBe(0);
    expect(v0.stderr).not.toMatch(/< version 2/);
    const v2fetch = await home.git(['fetch', '-q', 'origin'], { cwd: path.join(home.dir, 'c-v0'), env: bearer(token) });
    expect(v2fetch.code).toBe(0);
  });

  // Observed on the service: blobless clones over protocol v2 only; v0/v1 warn "filtering not
  // recognized by server" and clone fully. ArtifactFS (https://developers.cloudflare.com/artifacts/guides/artifact-fs/)
  // clones this way and hydrates each blob on read through git's lazy fetch.
  it('blobless clone over v2 is a real partial clone that fetches blobs lazily; v0/v1 clone fully', async () => {
    const env = bearer(token);
    const clone = (dir: string, version: number): Promise<{ code: number; stderr: string }> =>
      home.git(['-c', `protocol.version=${version}`, 'clone', '--filter=blob:none', '--no-checkout', '--single-branch', remote, dir], { env });
    const missing = async (dir: string): Promise<string[]> => {
      const r = await home.git(['rev-list', '--objects', '--all', '--missing=print'], { cwd: path.join(home.dir, dir) });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1));
    };
    const blob = (await home.git(['rev-parse', 'HEAD:hello.txt'], { cwd: work() })).stdout.trim();

    const v2 = await clone('c-blobless-v2', 2);
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.stderr).not.toMatch(/filtering not recognized/);
    expect(await missing('c-blobless-v2')).toEqual([blob]);
    await emu.clearLog();
    const cat = await home.git(['cat-file', '-p', blob], { cwd: path.join(home.dir, 'c-blobless-v2'), env });
    expect(cat.code, cat.stderr).toBe(0);
    expect(cat.stdout).toBe('hello\n');
    expect(await missing('c-blobless-v2')).toEqual([]);
    // the blob came over the wire: a lazy fetch, authenticated like any other
    expect((await emu.log()).filter((e) => e.kind === 'git' && e.service === 'upload-pack' && e.status === 200).length).toBeGreaterThan(0);

    for (const version of [0, 1]) {
      const dir = `c-blobless-v${version}`;
      const full = await clone(dir, version);
      expect(full.code, full.stderr).toBe(0);
      expect(full.stderr).toMatch(/filtering not recognized by server/);
      expect(await missing(dir)).toEqual([]);
    }
  });

  it('accepts every documented credential form', async () => {
    const full = token;
    const edited = `${secretOf(full)}?expires=1`; // suffix in the past: the server's record decides
    const forms: [string, string[], NodeJS.ProcessEnv][] = [
      ['Basic URL, percent-encoded full token', [inUrl(remote, 'x', full)], {}],
      ['Basic URL, any username', [inUrl(remote, 'someone', secretOf(full))], {}],
      ['Basic header, secret', [remote], basic('x', secretOf(full))],
      ['Bearer secret', [remote], bearer(secretOf(full))],
      ['Bearer edited suffix', [remote], bearer(edited)],
    ];
    for (const [name, args, env] of forms) {
      const r = await home.git(['ls-remote', ...args], { env });
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
  });

  it('pushes with Bearer', async () => {
    writeFileSync(path.join(work(), 'two.txt'), '2\n');
    await home.git(['add', '.'], { cwd: work() });
    await home.git(['commit', '-qm', 'second'], { cwd: work() });
    const push = await home.git(['push', remote, 'main'], { cwd: work(), env: bearer(token) });
    expect(push.code, push.stderr).toBe(0);
  });

  it('refuses: no credentials 401, token as username 401, other repo 403', async () => {
    const none = await home.git(['ls-remote', remote]);
    expect(none.code).not.toBe(0);
    expect(await lastGit()).toMatchObject({ status: 401, tokenId: null, auth: null });
    const swapped = await home.git(['ls-remote', inUrl(remote, secretOf(token), 'x')]);
    expect(swapped.code).not.toBe(0);
    expect(await lastGit()).toMatchObject({ status: 401, auth: 'basic' });
    const other = await emu.createRepo(ns, 'other');
    const cross = await home.git(['ls-remote', remote], { env: bearer(other.token) });
    expect(cross.code).not.toBe(0);
    expect(cross.stderr).toMatch(/403|Invalid or expired token/);
    expect(await lastGit()).toMatchObject({ status: 403, tokenId: null });
  });

  it('refuses a push with a read token (403 Insufficient permissions) but lets it fetch', async () => {
    const read = await emu.mintToken(ns, 'demo', 'read', 600);
    expect((await home.git(['ls-remote', remote], { env: bearer(read.plaintext) })).code).toBe(0);
    const push = await home.git(['push', remote, 'main:refs/heads/read-attempt'], { cwd: work(), env: bearer(read.plaintext) });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403|Insufficient permissions/);
    expect(await lastGit()).toMatchObject({ service: 'receive-pack', status: 403 });
    // the POST itself is refused too, not only the advertisement
    const post = await fetch(`${remote}/git-receive-pack`, { method: 'POST', headers: { Authorization: `Bearer ${read.plaintext}` }, body: '0000' });
    expect(post.status).toBe(403);
    expect((await post.text()).trim()).toBe('Insufficient permissions');
  });

  it('refuses revoked and expired tokens (server record, injectable clock)', async () => {
    const revoked = await emu.mintToken(ns, 'demo', 'read', 600);
    expect((await home.git(['ls-remote', remote], { env: bearer(revoked.plaintext) })).code).toBe(0);
    await emu.revoke(revoked.id);
    const after = await home.git(['ls-remote', remote], { env: bearer(revoked.plaintext) });
    expect(after.code).not.toBe(0);
    expect(await lastGit()).toMatchObject({ status: 403 });

    const short = await emu.mintToken(ns, 'demo', 'read', 60);
    await emu.setClockOffset(61_000);
    try {
      expect((await home.git(['ls-remote', remote], { env: bearer(short.plaintext) })).code).not.toBe(0);
      expect(await lastGit()).toMatchObject({ status: 403 });
    } finally {
      await emu.setClockOffset(0);
    }
    expect((await home.git(['ls-remote', remote], { env: bearer(short.plaintext) })).code).toBe(0);

    await emu.faults({ tokenLifetimeSeconds: 1, reportAskedExpiry: true }); // asks 1 h, lives 1 s
    try {
      const brief = await emu.mintToken(ns, 'demo', 'read', 3600);
      expect((await home.git(['ls-remote', remote], { env: bearer(brief.plaintext) })).code).toBe(0);
      await emu.setClockOffset(1_500);
      expect((await home.git(['ls-remote', remote], { env: bearer(brief.plaintext) })).code).not.toBe(0);
    } finally {
      await emu.setClockOffset(0);
      await emu.clearFaults();
    }
  });

  it('isolates forks: neither token opens the other repo', async () => {
    const r = await emu.rest<{ token: string; remote: string; objects: number }>('POST', `${emu.nsUrl(ns).slice(emu.url.length)}/repos/demo/fork`, { name: 'fork' });
    expect(r.status).toBe(201);
    expect(r.body.result.objects).toBeGreaterThan(0);
    const fork = r.body.result;
    expect((await home.git(['ls-remote', fork.remote], { env: bearer(token) })).code).not.toBe(0);
    expect((await home.git(['ls-remote', remote], { env: bearer(fork.token) })).code).not.toBe(0);
    const clone = await home.git(['clone', '-q', fork.remote, 'c-fork'], { env: bearer(fork.token) });
    expect(clone.code, clone.stderr).toBe(0);
    expect((await home.git(['log', '--format=%s'], { cwd: path.join(home.dir, 'c-fork') })).stdout.trim().split('\n')).toEqual(['second', 'first']);
  });

  it('works with other token prefixes (clients must not parse them)', async () => {
    await emu.faults({ tokenPrefix: 'art_v2_e_' });
    try {
      const t = await emu.mintToken(ns, 'demo', 'write', 600);
      expect(t.plaintext).toMatch(/^art_v2_e_/);
      expect((await home.git(['ls-remote', inUrl(remote, 'x', secretOf(t.plaintext))])).code).toBe(0);
      expect((await home.git(['ls-remote', remote], { env: bearer(t.plaintext) })).code).toBe(0);
    } finally {
      await emu.clearFaults();
    }
  });

  it('applies git faults (503 then recovery)', async () => {
    await emu.faults({ routes: [{ route: 'git', status: 503, retryAfter: 1 }] });
    expect((await home.git(['ls-remote', remote], { env: bearer(token) })).code).not.toBe(0);
    expect((await home.git(['ls-remote', remote], { env: bearer(token) })).code).toBe(0);
  });
});
