// The six content routes of Cloudflare's Artifacts OpenAPI schema (docs/emulator-api.md,
// "Content routes") against a real repo pushed with real git: log, commit, tree, blob, file and
// raw, with the schema's bounds, and hostile refs and paths.
import { writeFileSync, mkdirSync, symlinkSync, chmodSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../support/emulator.js';
import { withEmulator } from '../../support/fixtures.js';
import type { GitHome } from '../../support/git-home.js';
import { makeGitHome } from '../../support/git-home.js';

let emu: Emulator;
let home: GitHome;
let base: string; // <ns url>/repos/site, relative to emu.url
const work = (): string => path.join(home.dir, 'work');
const ids: Record<string, string> = {};
const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0x0a]);
const big = 32 * 1024 * 1024 + 1;

async function git(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await home.git(args, { cwd: work(), env });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

withEmulator((e) => (emu = e));
beforeAll(async () => {
  home = makeGitHome();
  const repo = await emu.createRepo('content', 'site');
  await emu.createRepo('content', 'empty');
  base = `${emu.nsUrl('content').slice(emu.url.length)}/repos/site`;
  mkdirSync(path.join(work(), 'd'), { recursive: true });
  mkdirSync(path.join(work(), 'sp ace'));
  await git(['init', '-q', '-b', 'main']);
  writeFileSync(path.join(work(), 'a.txt'), 'one\n');
  writeFileSync(path.join(work(), 'd', 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(path.join(work(), 'd', 'run.sh'), 0o755);
  symlinkSync('a.txt', path.join(work(), 'link'));
  writeFileSync(path.join(work(), 'index.html'), '<script>alert(1)</script>\n');
  writeFileSync(path.join(work(), 'data.json'), '{"a":1}\n');
  writeFileSync(path.join(work(), 'bin.dat'), bin);
  writeFileSync(path.join(work(), 'sp ace', 'ü.txt'), 'unicode\n');
  await git(['add', '.']);
  await git(['commit', '-qm', 'first'], { GIT_AUTHOR_DATE: '1700000000 +0000', GIT_COMMITTER_DATE: '1700000001 +0100' });
  ids.first = await git(['rev-parse', 'HEAD']);
  await git(['tag', '-a', '-m', 'v1', 'v1']);
  await git(['branch', 'feature/x']);
  writeFileSync(path.join(work(), 'a.txt'), 'two\n');
  writeFileSync(path.join(work(), 'zeros.bin'), Buffer.alloc(big)); // compresses to almost nothing
  await git(['add', '.']);
  await git(['commit', '-qm', 'second\n\nwith a body'], { GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.invalid' });
  ids.second = await git(['rev-parse', 'HEAD']);
  for (const [key, spec] of [
    ['tree', 'HEAD^{tree}'],
    ['firstTree', `${ids.first}^{tree}`],
    ['dTree', 'HEAD:d'],
    ['blobTwo', 'HEAD:a.txt'],
    ['blobOne', `${ids.first}:a.txt`],
    ['bin', 'HEAD:bin.dat'],
    ['zeros', 'HEAD:zeros.bin'],
    ['tag', 'v1'],
  ] as const) {
    ids[key] = await git(['rev-parse', spec]);
  }
  const push = await home.git(['push', repo.remote, 'main', 'feature/x', 'v1'], {
    cwd: work(),
    env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${repo.token}` },
  });
  expect(push.code, push.stderr).toBe(0);
}, 120_000);
afterAll(() => home?.cleanup());

/** node:http, not fetch: fetch would normalise `..` and `%2E%2E` away before sending. */
function get(p: string, auth = true): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer; json: () => { success: boolean; errors: { code: number; message: string }[]; result: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(emu.url + '/', { method: 'GET', path: p, headers: auth ? { Authorization: `Bearer ${emu.apiToken}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) as never });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function result<T>(p: string): Promise<T> {
  const r = await get(p);
  expect(r.status, r.bytes.toString()).toBe(200);
  return r.json().result as T;
}

async function expectError(p: string, status: number, code: number): Promise<void> {
  const r = await get(p);
  expect(r.status, r.bytes.toString()).toBe(status);
  const body = r.json();
  expect(body.success).toBe(false);
  expect(body.errors[0]?.code).toBe(code);
}

interface Commit {
  hash: string;
  treeHash: string;
  message: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
  parents: string[];
  authoredAt: number;
  committedAt: number;
}

describe('GET …/log (artifacts_repos_log_get)', () => {
  it('walks back from HEAD, newest first, in the schema shape', async () => {
    const log = await result<Commit[]>(`${base}/log`);
    expect(log.map((c) => c.hash)).toEqual([ids.second, ids.first]);
    expect(log[0]).toEqual({
      hash: ids.second,
      treeHash: ids.tree,
      message: 'second\n\nwith a body\n',
      author: { name: 'Ann', email: 'ann@example.invalid' },
      committer: { name: 'Test', email: 'test@example.invalid' },
      parents: [ids.first],
      authoredAt: expect.any(Number),
      committedAt: expect.any(Number),
    });
    expect(log[1]).toMatchObject({ parents: [], authoredAt: 1700000000, committedAt: 1700000001, treeHash: ids.firstTree });
  });

  it.each([
    ['ref=main', ['second', 'first']],
    ['ref=refs/heads/main', ['second', 'first']],
    ['ref=HEAD', ['second', 'first']],
    ['ref=feature/x', ['first']],
    ['ref=feature%2Fx', ['first']],
    ['ref=v1', ['first']], // an annotated tag, peeled
    ['ref=refs/tags/v1', ['first']],
    ['ref=@first', ['first']],
    ['limit=1', ['second']],
    ['limit=1000', ['second', 'first']],
    ['offset=1', ['first']],
    ['offset=2', []],
    ['offset=1&limit=1&ref=main', ['first']],
  ])('?%s -> %j', async (q, want) => {
    const query = q.replace('@first', ids.first ?? '');
    const log = await result<Commit[]>(`${base}/log?${query}`);
    expect(log.map((c) => (c.hash === ids.first ? 'first' : 'second'))).toEqual(want);
  });

  it.each([
    ['limit=0', 400],
    ['limit=1001', 400],
    ['limit=-1', 400],
    ['limit=x', 400],
    ['offset=-1', 400],
    ['ref=', 400],
    ['ref=-n', 400],
    ['ref=--all', 400],
    ['ref=--output%3D%2Ftmp%2Fx', 400],
    ['ref=HEAD~1', 400],
    ['ref=HEAD%5E', 400],
    ['ref=main%40%7B1%7D', 400],
    ['ref=main..feature', 400],
    ['ref=main%3Aa.txt', 400],
    ['ref=a%00b', 400],
    ['ref=nope', 404],
    ['ref=refs/heads/nope', 404],
    ['ref=config', 404], // a file of the bare repo, never read as a ref
    ['ref=0000000000000000000000000000000000000000', 404],
    ['ref=@tree', 404], // an object that is not a commit
  ])('?%s -> %i', async (q, status) => {
    await expectError(`${base}/log?${q.replace('@tree', ids.tree ?? '')}`, status, status === 400 ? 10100 : 10200);
  });

  it('an empty repo has an empty history; a ref in it is 404', async () => {
    const emptyBase = base.replace('/site', '/empty');
    expect(await result(`${emptyBase}/log`)).toEqual([]);
    await expectError(`${emptyBase}/log?ref=main`, 404, 10200);
  });
});

describe('GET …/commit/{hash} (artifacts_repos_commit_get)', () => {
  it('one commit, cacheable forever', async () => {
    const r = await get(`${base}/commit/${ids.first}`);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toMatch(/immutable/);
    expect(r.json().result).toMatchObject({ hash: ids.first, treeHash: ids.firstTree, message: 'first\n', parents: [] });
  });
  it.each([
    ['@tree', 404, 10200], // a tree, not a commit
    ['@tag', 404, 10200], // an annotated tag object, not a commit
    ['ffffffffffffffffffffffffffffffffffffffff', 404, 10200],
    ['ABCDEF0123456789ABCDEF0123456789ABCDEF01', 400, 10100],
    ['abc', 400, 10100],
    ['-n', 400, 10100],
    ['%2E%2E', 400, 10100],
  ])('%s -> %i %i', async (hash, status, code) => {
    await expectError(`${base}/commit/${hash.replace('@tree', ids.tree ?? '').replace('@tag', ids.tag ?? '')}`, status, code);
  });
});

describe('GET …/tree/{hash} (artifacts_repos_tree_get)', () => {
  it('the entries of a tree, with every type', async () => {
    const r = await get(`${base}/tree/${ids.tree}`);
    expect(r.headers['cache-control']).toMatch(/immutable/);
    const entries = r.json().result as { name: string; mode: string; hash: string; type: string }[];
    const by = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(Object.keys(by).sort()).toEqual(['a.txt', 'bin.dat', 'd', 'data.json', 'index.html', 'link', 'sp ace', 'zeros.bin']);
    expect(by['a.txt']).toEqual({ name: 'a.txt', mode: '100644', hash: ids.blobTwo, type: 'blob' });
    expect(by.d).toEqual({ name: 'd', mode: '040000', hash: ids.dTree, type: 'tree' });
    expect(by.link).toMatchObject({ mode: '120000', type: 'symlink' });
    const sub = await result<{ name: string; mode: string; type: string }[]>(`${base}/tree/${ids.dTree}`);
    expect(sub).toEqual([{ name: 'run.sh', mode: '100755', hash: expect.stringMatching(/^[0-9a-f]{40}$/), type: 'exec' }]);
  });
  it.each([
    ['@first', 404],
    ['@blobOne', 404],
    ['1111111111111111111111111111111111111111', 404],
    ['xyz', 400],
  ])('%s -> %i', async (hash, status) => {
    await expectError(`${base}/tree/${hash.replace(/^@(\w+)$/, (_m, k: string) => ids[k] ?? '')}`, status, status === 400 ? 10100 : 10200);
  });
});

describe('GET …/blob/{hash} (artifacts_repos_blob_get)', () => {
  it('raw bytes, octet-stream, cacheable forever', async () => {
    const r = await get(`${base}/blob/${ids.bin}`);
    expect(r.status).toBe(200);
    expect(r.bytes).toEqual(bin);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-length']).toBe(String(bin.length));
    expect(r.headers['cache-control']).toMatch(/immutable/);
    expect((await get(`${base}/blob/${ids.blobOne}`)).bytes.toString()).toBe('one\n');
  });
  it('a blob over 32 MB is 413', async () => {
    await expectError(`${base}/blob/${ids.zeros}`, 413, 10100);
  });
  it.each([
    ['@tree', 404],
    ['@first', 404],
    ['2222222222222222222222222222222222222222', 404],
    ['a'.repeat(41), 400],
  ])('%s -> %i', async (hash, status) => {
    await expectError(`${base}/blob/${hash.replace(/^@(\w+)$/, (_m, k: string) => ids[k] ?? '')}`, status, status === 400 ? 10100 : 10200);
  });
});

describe('GET …/file?ref=&path= (artifacts_repos_file_get)', () => {
  it.each([
    ['ref=main&path=a.txt', 'two\n'],
    ['ref=feature/x&path=a.txt', 'one\n'],
    ['ref=v1&path=a.txt', 'one\n'],
    ['ref=@first&path=a.txt', 'one\n'],
    ['ref=main&path=d/run.sh', '#!/bin/sh\necho hi\n'],
    ['ref=main&path=link', 'a.txt'], // a symlink answers its target, as git stores it
    ['ref=main&path=sp%20ace/%C3%BC.txt', 'unicode\n'],
    ['ref=main&path=index.html', '<script>alert(1)</script>\n'],
  ])('?%s', async (q, want) => {
    const r = await get(`${base}/file?${q.replace('@first', ids.first ?? '')}`);
    expect(r.status, r.bytes.toString()).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.bytes.toString('utf8')).toBe(want);
  });
  it('binary files come back byte for byte', async () => {
    expect((await get(`${base}/file?ref=main&path=bin.dat`)).bytes).toEqual(bin);
  });
  it.each([
    ['path=a.txt', 400], // ref is required
    ['ref=main', 400], // path is required
    ['ref=main&path=', 400],
    ['ref=main&path=../a.txt', 400],
    ['ref=main&path=d/../a.txt', 400],
    ['ref=main&path=%2Fetc%2Fpasswd', 400],
    ['ref=main&path=./a.txt', 400],
    ['ref=main&path=d//run.sh', 400],
    ['ref=main&path=a%00.txt', 400],
    ['ref=-p&path=a.txt', 400],
    ['ref=HEAD~1&path=a.txt', 400],
    ['ref=nope&path=a.txt', 404],
    ['ref=main&path=missing.txt', 404],
    ['ref=main&path=d', 404], // a directory
    ['ref=main&path=a.txt/x', 404], // through a file
    ['ref=main&path=A.TXT', 404], // names are exact
    ['ref=main&path=zeros.bin', 413],
  ])('?%s -> %i', async (q, status) => {
    await expectError(`${base}/file?${q}`, status, status === 404 ? 10200 : 10100);
  });
});

describe('GET …/raw/{ref}/{path} (artifacts_repos_raw_get)', () => {
  it.each([
    ['main/a.txt', 'text/plain; charset=utf-8', 'two\n'],
    ['main/data.json', 'application/json; charset=utf-8', '{"a":1}\n'],
    ['main/index.html', 'text/html; charset=utf-8', '<script>alert(1)</script>\n'],
    ['main/sp%20ace/%C3%BC.txt', 'text/plain; charset=utf-8', 'unicode\n'],
    ['feature%2Fx/a.txt', 'text/plain; charset=utf-8', 'one\n'],
    ['v1/a.txt', 'text/plain; charset=utf-8', 'one\n'],
    ['@first/d/run.sh', 'text/plain; charset=utf-8', '#!/bin/sh\necho hi\n'],
  ])('%s -> %s', async (p, type, want) => {
    const r = await get(`${base}/raw/${p.replace('@first', ids.first ?? '')}`);
    expect(r.status, r.bytes.toString()).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(r.bytes.toString('utf8')).toBe(want);
    // browser-safe: nothing in a repo runs in the emulator's origin
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
  it('binary bytes are octet-stream', async () => {
    const r = await get(`${base}/raw/main/bin.dat`);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.bytes).toEqual(bin);
  });
  it.each([
    ['main/../a.txt', 400],
    ['main/d/%2E%2E/a.txt', 400],
    ['main/a%00.txt', 400],
    ['%2D%2Dall/a.txt', 400],
    ['HEAD~1/a.txt', 400],
    ['main/', 404], // no path: no route
    ['nope/a.txt', 404],
    ['main/missing', 404],
    ['main/d', 404],
    ['main/zeros.bin', 413],
  ])('%s -> %i', async (p, status) => {
    const r = await get(`${base}/raw/${p}`);
    expect(r.status, r.bytes.toString()).toBe(status);
    expect(r.json().success).toBe(false);
  });
});

describe('every content route', () => {
  const routes = (): string[] => ['/log', `/commit/${ids.first}`, `/tree/${ids.tree}`, `/blob/${ids.blobOne}`, '/file?ref=main&path=a.txt', '/raw/main/a.txt'];
  it('needs the API token', async () => {
    for (const r of routes()) expect((await get(`${base}${r}`, false)).status).toBe(401);
  });
  it('is 404 10200 for a repo that does not exist, 400 10101 for a bad repo name', async () => {
    for (const r of routes()) {
      await expectError(`${base.replace('/site', '/ghost')}${r}`, 404, 10200);
      await expectError(`${base.replace('/site', '/-bad')}${r}`, 400, 10101);
    }
  });
  it('is 409 10302 while the repo is being imported', async () => {
    await emu.faults({ holdImports: true });
    try {
      const r = await emu.rest('POST', `${emu.nsUrl('content').slice(emu.url.length)}/repos/copy/import`, { url: `${emu.url}/git/content/site.git` });
      expect(r.status).toBe(201);
      await emu.held('import');
      for (const route of routes()) await expectError(`${base.replace('/site', '/copy')}${route}`, 409, 10302);
    } finally {
      await emu.clearFaults();
    }
  });
  it('is logged as repo-content and can be faulted', async () => {
    await emu.faults({ routes: [{ route: 'repo-content', status: 503 }] });
    expect((await get(`${base}/log`)).status).toBe(503);
    expect((await get(`${base}/log`)).status).toBe(200);
    expect((await emu.log()).some((e) => e.kind === 'rest' && e.route === 'repo-content')).toBe(true);
  });
  it('is served by the namespace-scoped APIs too, with the gateway JWT only', async () => {
    for (const apiBase of [emu.gatewayUrl, emu.edgeUrl]) {
      for (const r of routes()) {
        const url = `${apiBase}/namespaces/content/repos/site${r}`;
        const ok = await fetch(url, { headers: { Authorization: `Bearer ${emu.jwt}` } });
        expect(ok.status, `${url}: ${await ok.clone().text()}`).toBe(200);
        if (r === '/raw/main/a.txt') expect(await ok.text()).toBe('two\n');
        expect((await fetch(url, { headers: { Authorization: `Bearer ${emu.apiToken}` } })).status).toBe(401);
      }
    }
  });
  it('answers only GET', async () => {
    const res = await fetch(`${emu.url}${base}/log`, { method: 'POST', headers: { Authorization: `Bearer ${emu.apiToken}` } });
    expect(res.status).toBe(405);
  });
});
