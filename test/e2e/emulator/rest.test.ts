// The REST control plane against its documented contract (docs/git-and-artifacts-behaviour.md,
// "REST control plane" and what follows): envelope, every route, defaults, codes.
import { beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';

let emu: Emulator;
const nsPath = (ns: string): string => emu.nsUrl(ns).slice(emu.url.length);
const tokenPattern = /^art_v1_[0-9a-f]{40}\?expires=(\d+)$/;

withEmulator((e) => (emu = e));

/** A token's lifetime as the emulator recorded it (expires_at - created_at): no clock of ours involved. */
async function lifetimeMs(ns: string, repo: string, id?: string): Promise<number> {
  const list = await emu.rest<{ id: string; created_at: string; expires_at: string }[]>('GET', `${nsPath(ns)}/repos/${repo}/tokens`);
  const t = id === undefined ? list.body.result[0] : list.body.result.find((x) => x.id === id);
  return Date.parse(t!.expires_at) - Date.parse(t!.created_at);
}

function expectError(r: { status: number; body: { success: boolean; errors: { code: number }[]; result: unknown } }, status: number, code: number): void {
  expect(r.status).toBe(status);
  expect(r.body.success).toBe(false);
  expect(r.body.errors[0]?.code).toBe(code);
  expect(r.body.result).toBeNull();
}

describe('API token', () => {
  it.each([
    ['GET', '/repos'],
    ['POST', '/repos'],
    ['GET', '/repos/x'],
    ['DELETE', '/repos/x'],
    ['POST', '/tokens'],
    ['GET', '/repos/x/tokens'],
    ['DELETE', '/tokens/abcdefghij012345'],
  ])('%s %s without it is a 401 envelope', async (method, p) => {
    for (const auth of [undefined, 'Bearer wrong', `Basic ${Buffer.from(`x:${emu.apiToken}`).toString('base64')}`]) {
      const res = await fetch(`${emu.nsUrl('auth')}${p}`, { method, headers: auth ? { Authorization: auth } : {} });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { success: boolean; errors: unknown[] };
      expect(body.success).toBe(false);
      expect(body.errors.length).toBeGreaterThan(0);
    }
  });
  it('a repo token does not authenticate REST', async () => {
    const repo = await emu.createRepo('auth', 'r1');
    const res = await fetch(`${emu.nsUrl('auth')}/repos/r1`, { headers: { Authorization: `Bearer ${repo.token}` } });
    expect(res.status).toBe(401);
  });
});

describe('repos', () => {
  it('create answers 201 with the documented shape and a 24 h write token', async () => {
    const r = await emu.rest<Record<string, unknown>>('POST', `${nsPath('repos')}/repos`, { name: 'demo', description: 'd' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ success: true, errors: [], messages: [] });
    const result = r.body.result;
    expect(Object.keys(result).sort()).toEqual(['default_branch', 'description', 'id', 'name', 'remote', 'token']);
    expect(result).toMatchObject({ name: 'demo', description: 'd', default_branch: 'main', remote: `${emu.url}/git/repos/demo.git` });
    const expires = Number(tokenPattern.exec(String(result.token))?.[1]);
    const tokens = await emu.rest<{ scope: string; state: string; expires_at: string }[]>('GET', `${nsPath('repos')}/repos/demo/tokens`);
    expect(tokens.body.result).toEqual([expect.objectContaining({ scope: 'write', state: 'active' })]);
    expect(Math.floor(Date.parse(tokens.body.result[0]!.expires_at) / 1000)).toBe(expires);
    expect(await lifetimeMs('repos', 'demo')).toBe(86_400_000);
  });

  it('create refuses a taken name with 409 10201', async () => {
    await emu.createRepo('repos', 'taken');
    expectError(await emu.rest('POST', `${nsPath('repos')}/repos`, { name: 'taken' }), 409, 10201);
  });

  it('get returns every documented field; 404 10200 when missing', async () => {
    await emu.rest('POST', `${nsPath('repos')}/repos`, { name: 'full', default_branch: 'trunk', read_only: true });
    const r = await emu.rest<Record<string, unknown>>('GET', `${nsPath('repos')}/repos/full`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.result).sort()).toEqual(
      ['created_at', 'default_branch', 'description', 'id', 'last_push_at', 'name', 'read_only', 'remote', 'source', 'status', 'updated_at'].sort(),
    );
    expect(r.body.result).toMatchObject({ default_branch: 'trunk', read_only: true, last_push_at: null, source: null, status: 'ready' });
    expectError(await emu.rest('GET', `${nsPath('repos')}/repos/nope`), 404, 10200);
  });

  it('list paginates by cursor and supports search, sort and direction', async () => {
    for (const n of ['c', 'a', 'e', 'b', 'd']) await emu.createRepo('listing', `r-${n}`);
    const names: string[] = [];
    let cursor = '';
    for (let i = 0; i < 5; i++) {
      const r = await emu.rest<{ name: string }[]>('GET', `${nsPath('listing')}/repos?limit=2&sort=name&direction=asc${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.body.result_info).toMatchObject({ per_page: 2, count: r.body.result.length });
      names.push(...r.body.result.map((x) => x.name));
      cursor = String(r.body.result_info?.cursor ?? '');
      if (!cursor) break;
    }
    expect(names).toEqual(['r-a', 'r-b', 'r-c', 'r-d', 'r-e']);
    const desc = await emu.rest<{ name: string }[]>('GET', `${nsPath('listing')}/repos?sort=name&direction=desc`);
    expect(desc.body.result.map((x) => x.name)).toEqual(['r-e', 'r-d', 'r-c', 'r-b', 'r-a']);
    expect(desc.body.result_info).toMatchObject({ per_page: 50, count: 5, cursor: '' });
    const byCreated = await emu.rest<{ name: string }[]>('GET', `${nsPath('listing')}/repos?sort=created_at&direction=asc`);
    expect(byCreated.body.result.map((x) => x.name)).toEqual(['r-c', 'r-a', 'r-e', 'r-b', 'r-d']);
    const search = await emu.rest<{ name: string; remote: string }[]>('GET', `${nsPath('listing')}/repos?search=R-D`);
    expect(search.body.result.map((x) => x.name)).toEqual(['r-d']);
    expect(search.body.result[0]?.remote).toBe(`${emu.url}/git/listing/r-d.git`);
    for (const q of ['limit=0', 'limit=201', 'sort=size', 'direction=up', 'cursor=bogus!']) {
      expectError(await emu.rest('GET', `${nsPath('listing')}/repos?${q}`), 400, 10100);
    }
  });

  it('delete answers 202 {id} and removes the repo and its tokens', async () => {
    const repo = await emu.createRepo('repos', 'doomed');
    await emu.mintToken('repos', 'doomed', 'read');
    const r = await emu.rest('DELETE', `${nsPath('repos')}/repos/doomed`);
    expect(r.status).toBe(202);
    expect(r.body.result).toEqual({ id: repo.id });
    expectError(await emu.rest('GET', `${nsPath('repos')}/repos/doomed`), 404, 10200);
    expectError(await emu.rest('GET', `${nsPath('repos')}/repos/doomed/tokens`), 404, 10200);
    expectError(await emu.rest('DELETE', `${nsPath('repos')}/repos/doomed`), 404, 10200);
    // a new repo of the same name has none of the old tokens
    await emu.createRepo('repos', 'doomed');
    const tokens = await emu.rest<unknown[]>('GET', `${nsPath('repos')}/repos/doomed/tokens?state=all`);
    expect(tokens.body.result).toHaveLength(1);
  });
});

describe('tokens', () => {
  beforeAll(async () => {
    await emu.createRepo('tok', 'demo');
  });

  it('POST /tokens defaults to write and 86400 s', async () => {
    const r = await emu.rest<{ id: string; plaintext: string; scope: string; expires_at: string }>('POST', `${nsPath('tok')}/tokens`, { repo: 'demo' });
    expect(r.status).toBe(201);
    const t = r.body.result;
    expect(Object.keys(t).sort()).toEqual(['expires_at', 'id', 'plaintext', 'scope']);
    expect(t.id).toMatch(/^[0-9a-z]{16}$/);
    expect(t.scope).toBe('write');
    const suffix = Number(tokenPattern.exec(t.plaintext)?.[1]);
    expect(Math.floor(Date.parse(t.expires_at) / 1000)).toBe(suffix);
    expect(t.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(await lifetimeMs('tok', 'demo', t.id)).toBe(86_400_000);
  });

  it('honours scope and ttl', async () => {
    const t = await emu.mintToken('tok', 'demo', 'read', 60);
    expect(t.scope).toBe('read');
    expect(await lifetimeMs('tok', 'demo', t.id)).toBe(60_000);
    const max = await emu.mintToken('tok', 'demo', 'write', 31_536_000);
    expect(await lifetimeMs('tok', 'demo', max.id)).toBe(31_536_000_000);
  });

  it.each([59, 31_536_001, 0, -5, 60.5, '3600', true])('ttl %j is 400 10103 with the observed message', async (ttl) => {
    const r = await emu.rest('POST', `${nsPath('tok')}/tokens`, { repo: 'demo', ttl });
    expectError(r, 400, 10103);
    expect(r.body.errors[0]?.message).toBe('ttl must be between 60 and 31536000 seconds');
  });

  it.each([
    [{}, 400, 10100],
    [{ repo: 5 }, 400, 10100],
    [{ repo: '../x' }, 400, 10101],
    [{ repo: 'a/b' }, 400, 10101],
    [{ repo: 'nope' }, 404, 10200],
    [{ repo: 'demo', scope: 'admin' }, 400, 10100],
    [{ repo: 'demo', scope: 1 }, 400, 10100],
  ])('mint %j -> %d %d', async (body, status, code) => {
    expectError(await emu.rest('POST', `${nsPath('tok')}/tokens`, body), status, code);
  });

  it('lists by state with offset pagination, never plaintext', async () => {
    await emu.createRepo('tok', 'listed'); // 1 initial write token
    const minted = [];
    for (let i = 0; i < 4; i++) minted.push(await emu.mintToken('tok', 'listed', i % 2 ? 'read' : 'write', 60));
    await emu.revoke(minted[0]?.id ?? '');
    const p = `${nsPath('tok')}/repos/listed/tokens`;
    const active = await emu.rest<{ id: string; state: string }[]>('GET', p);
    expect(active.body.result).toHaveLength(4);
    expect(active.body.result_info).toEqual({ page: 1, per_page: 30, total_pages: 1, count: 4, total_count: 4 });
    const page2 = await emu.rest<unknown[]>('GET', `${p}?state=all&per_page=2&page=2`);
    expect(page2.body.result_info).toEqual({ page: 2, per_page: 2, total_pages: 3, count: 2, total_count: 5 });
    const revoked = await emu.rest<{ id: string; state: string }[]>('GET', `${p}?state=revoked`);
    expect(revoked.body.result).toEqual([expect.objectContaining({ id: minted[0]?.id, state: 'revoked' })]);
    await emu.setClockOffset(61_000); // the four 60 s tokens expire; the 24 h one stays
    try {
      const expired = await emu.rest<{ state: string }[]>('GET', `${p}?state=expired`);
      expect(expired.body.result).toHaveLength(3);
    } finally {
      await emu.setClockOffset(0);
    }
    const all = await emu.rest<Record<string, unknown>[]>('GET', `${p}?state=all`);
    for (const t of all.body.result) expect(Object.keys(t).sort()).toEqual(['created_at', 'expires_at', 'id', 'scope', 'state']);
    expect(JSON.stringify(all.body)).not.toMatch(/art_v/);
    for (const q of ['state=bogus', 'per_page=101', 'per_page=0', 'page=0']) expectError(await emu.rest('GET', `${p}?${q}`), 400, 10100);
  });

  it('DELETE /tokens/:id revokes (200 {id}); unknown ids are 404 10200', async () => {
    const t = await emu.mintToken('tok', 'demo', 'read');
    const r = await emu.rest('DELETE', `${nsPath('tok')}/tokens/${t.id}`);
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({ id: t.id });
    expect((await emu.rest('DELETE', `${nsPath('tok')}/tokens/${t.id}`)).status).toBe(200);
    expectError(await emu.rest('DELETE', `${nsPath('tok')}/tokens/zzzzzzzzzzzzzzzz`), 404, 10200);
    expectError(await emu.rest('DELETE', `${nsPath('other-ns')}/tokens/${t.id}`), 404, 10200);
  });
});

describe('namespaces', () => {
  const base = (): string => `/client/v4/accounts/${emu.account}/artifacts/namespaces`;

  it('are created implicitly by the first repo', async () => {
    await emu.createRepo('implicit', 'one');
    const r = await emu.rest('GET', `${base()}/implicit`);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ namespace: 'implicit', jurisdiction: 'unrestricted', repo_count: 1 });
    expectError(await emu.rest('GET', `${base()}/never-made`), 404, 10200);
  });

  it('POST creates (201), refuses duplicates (409 10201) and bad jurisdictions (400)', async () => {
    const r = await emu.rest<Record<string, unknown>>('POST', base(), { namespace: 'euro', jurisdiction: 'eu' });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body.result).sort()).toEqual(['created_at', 'jurisdiction', 'namespace', 'repo_count', 'updated_at']);
    expectError(await emu.rest('POST', base(), { namespace: 'euro' }), 409, 10201);
    expectError(await emu.rest('POST', base(), { namespace: 'mars', jurisdiction: 'mars' }), 400, 10100);
    expectError(await emu.rest('POST', base(), { namespace: 'x' }), 400, 10100);
    expectError(await emu.rest('POST', base(), {}), 400, 10100);
    // eu namespaces hand out art_v2_e_ tokens, as observed
    const repo = await emu.createRepo('euro', 'r');
    expect(repo.token).toMatch(/^art_v2_e_[0-9a-f]{40}\?expires=\d+$/);
  });

  it('GET lists with a cursor', async () => {
    const r = await emu.rest<{ namespace: string }[]>('GET', `${base()}?limit=1`);
    expect(r.body.result).toHaveLength(1);
    expect(r.body.result_info).toMatchObject({ per_page: 1, count: 1 });
    const next = await emu.rest<{ namespace: string }[]>('GET', `${base()}?limit=200&cursor=${String(r.body.result_info?.cursor)}`);
    expect(next.body.result.map((n) => n.namespace)).not.toContain(r.body.result[0]?.namespace);
    expectError(await emu.rest('GET', `${base()}?limit=201`), 400, 10100);
  });
});
