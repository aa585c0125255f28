// The control-plane operations of Cloudflare's Artifacts OpenAPI schema where the emulator had
// to change to match it (docs/emulator-api.md): DELETE /namespaces/{ns}, the schema's bounds on
// names and branches, the list defaults, and what wrangler reads (a repo `status`, offset
// `result_info` for `page`/`per_page` requests).
import { beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';

let emu: Emulator;
const nsPath = (ns: string): string => emu.nsUrl(ns).slice(emu.url.length);
const nsRoot = (): string => nsPath('x').slice(0, -'/x'.length);

withEmulator((e) => (emu = e));

type R = { status: number; body: { success: boolean; errors: { code: number; message: string }[]; result: unknown; result_info?: Record<string, unknown> } };
function expectError(r: R, status: number, code: number): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.success).toBe(false);
  expect(r.body.errors[0]?.code).toBe(code);
  expect(r.body.errors[0]?.message).toBeTruthy();
}

describe('DELETE /namespaces/{namespace} (artifacts_namespaces_delete)', () => {
  it('an empty namespace: 204 with no body, then 404 on GET and on a second DELETE', async () => {
    expect((await emu.rest('POST', `${nsRoot()}`, { namespace: 'gone' })).status).toBe(201);
    const res = await fetch(`${emu.nsUrl('gone')}`, { method: 'DELETE', headers: { Authorization: `Bearer ${emu.apiToken}` } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('content-type')).toBeNull();
    expectError(await emu.rest('GET', nsPath('gone')), 404, 10200);
    const again = await fetch(`${emu.nsUrl('gone')}`, { method: 'DELETE', headers: { Authorization: `Bearer ${emu.apiToken}` } });
    expect(again.status).toBe(404);
  });

  it('a namespace with a repo is 409 until the repo is deleted; then it can go', async () => {
    await emu.createRepo('full', 'r');
    expectError(await emu.rest('DELETE', nsPath('full')), 409, 10100);
    expect((await emu.rest('GET', nsPath('full'))).status).toBe(200);
    expect((await emu.rest('DELETE', `${nsPath('full')}/repos/r`)).status).toBe(202);
    const res = await fetch(emu.nsUrl('full'), { method: 'DELETE', headers: { Authorization: `Bearer ${emu.apiToken}` } });
    expect(res.status).toBe(204);
    // a new repo creates it again, implicitly
    await emu.createRepo('full', 'r');
    expect((await emu.rest('GET', nsPath('full'))).status).toBe(200);
  });

  it.each([
    ['a', 400, 10100],
    ['-x', 400, 10100],
    ['x'.repeat(64), 400, 10100],
    ['never-made', 404, 10200],
  ])('DELETE %j -> %d %d', async (ns, status, code) => {
    expectError(await emu.rest('DELETE', nsPath(ns)), status, code);
  });

  it('needs the API token', async () => {
    expect((await fetch(emu.nsUrl('full'), { method: 'DELETE' })).status).toBe(401);
  });

  it('is served by the namespace-scoped APIs too, with the gateway JWT', async () => {
    for (const [i, apiBase] of [emu.gatewayUrl, emu.edgeUrl].entries()) {
      const ns = `gw-gone${i}`;
      expect((await emu.rest('POST', nsRoot(), { namespace: ns })).status).toBe(201);
      expect((await fetch(`${apiBase}/namespaces/${ns}`, { method: 'DELETE', headers: { Authorization: `Bearer ${emu.apiToken}` } })).status).toBe(401);
      expect((await fetch(`${apiBase}/namespaces/${ns}`, { method: 'DELETE', headers: { Authorization: `Bearer ${emu.jwt}` } })).status).toBe(204);
      expectError(await emu.rest('GET', nsPath(ns)), 404, 10200);
    }
  });
});

describe('schema bounds', () => {
  const name = (() => {
    let n = 0;
    return (): string => `b${++n}`;
  })();
  it.each([
    ['a 256-character default_branch', { default_branch: `b${'x'.repeat(255)}` }, 201, 0],
    ['a 257-character default_branch', { default_branch: `b${'x'.repeat(256)}` }, 400, 10100],
    ['default_branch with slashes, dots, _ and -', { default_branch: 'release/v1.2_x-y' }, 201, 0],
    ['default_branch starting with "."', { default_branch: '.x' }, 400, 10100],
    ['default_branch starting with "_"', { default_branch: '_x' }, 400, 10100],
    ['default_branch starting with "/"', { default_branch: '/x' }, 400, 10100],
    ['default_branch ending in "/"', { default_branch: 'x/' }, 400, 10100],
    ['default_branch ending in "."', { default_branch: 'x.' }, 400, 10100],
    ['default_branch with ".."', { default_branch: 'a..b' }, 400, 10100],
    ['an empty default_branch', { default_branch: '' }, 400, 10100],
    ['a description of 1024', { description: 'd'.repeat(1024) }, 201, 0],
    ['a description of 1025', { description: 'd'.repeat(1025) }, 400, 10100],
  ])('POST /repos with %s', async (_what, extra, status, code) => {
    const r = await emu.rest<{ default_branch: string }>('POST', `${nsPath('bounds')}/repos`, { name: name(), ...extra });
    if (status === 201) {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      if ('default_branch' in extra) expect(r.body.result.default_branch).toBe(extra.default_branch);
    } else expectError(r, status, code);
  });

  it.each([
    [255, 201],
    [256, 400],
  ])('a repo name of %i characters -> %i (255, as the client accepts)', async (length, status) => {
    const repo = `r${'x'.repeat(length - 1)}`;
    const r = await emu.rest('POST', `${nsPath('bounds')}/repos`, { name: repo });
    expect(r.status).toBe(status);
    if (status === 201) {
      const got = await emu.rest<{ name: string }>('GET', `${nsPath('bounds')}/repos/${repo}`);
      expect(got.body.result.name).toBe(repo);
    }
  });

  beforeAll(async () => {
    await emu.createRepo('bounds', 'src');
  });
  it.each([
    [{ branch: `b${'x'.repeat(256)}` }, 400],
    [{ branch: '_x' }, 400],
    [{ branch: 'a..b' }, 400],
    [{ depth: 0 }, 400],
    [{ url: 5 }, 400],
  ])('POST /repos/:name/import with %j -> %i', async (body, status) => {
    const r = await emu.rest('POST', `${nsPath('bounds')}/repos/imp/import`, { url: `${emu.url}/git/bounds/src.git`, ...body });
    expectError(r, status, 10100);
  });
});

describe('GET /repos and /namespaces: defaults and paging', () => {
  beforeAll(async () => {
    // one second apart, so created_at orders them b, a, c whatever the machine's speed
    for (const [i, n] of ['b', 'a', 'c'].entries()) {
      await emu.setClockOffset(i * 1000);
      await emu.createRepo('paged', n);
    }
    await emu.setClockOffset(0);
  });
  const names = (r: { body: { result: unknown } }): string[] => (r.body.result as { name: string }[]).map((x) => x.name);

  it.each([
    ['sort=name', ['c', 'b', 'a']],
    ['sort=name&direction=asc', ['a', 'b', 'c']],
    ['', ['c', 'a', 'b']], // created_at, newest first
    ['sort=created_at&direction=asc', ['b', 'a', 'c']],
    ['sort=updated_at', ['c', 'a', 'b']],
  ])('?%s -> %j (direction defaults to desc for every sort)', async (q, want) => {
    expect(names(await emu.rest('GET', `${nsPath('paged')}/repos?${q}`))).toEqual(want);
  });

  it('page/per_page answers offset result_info, the shape wrangler pages with', async () => {
    const p1 = await emu.rest('GET', `${nsPath('paged')}/repos?sort=name&direction=asc&page=1&per_page=2`);
    expect(names(p1)).toEqual(['a', 'b']);
    expect(p1.body.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3, total_pages: 2 });
    const p2 = await emu.rest('GET', `${nsPath('paged')}/repos?sort=name&direction=asc&page=2&per_page=2`);
    expect(names(p2)).toEqual(['c']);
    expect(p2.body.result_info).toEqual({ page: 2, per_page: 2, count: 1, total_count: 3, total_pages: 2 });
    // page alone: per_page is the route's limit default (50)
    expect((await emu.rest('GET', `${nsPath('paged')}/repos?page=1`)).body.result_info).toMatchObject({ page: 1, per_page: 50, count: 3, total_count: 3 });
    // a page past the end is empty, not an error
    expect(names(await emu.rest('GET', `${nsPath('paged')}/repos?page=9&per_page=2`))).toEqual([]);
  });

  it('limit/cursor keeps the documented cursor result_info', async () => {
    const r = await emu.rest('GET', `${nsPath('paged')}/repos?limit=2`);
    expect(Object.keys(r.body.result_info ?? {}).sort()).toEqual(['count', 'cursor', 'per_page']);
    expect(r.body.result_info).toMatchObject({ per_page: 2, count: 2 });
  });

  it('namespaces page the same way', async () => {
    const r = await emu.rest('GET', `${nsRoot()}?page=1&per_page=1`);
    expect(r.body.result_info).toMatchObject({ page: 1, per_page: 1, count: 1 });
    expect(Number(r.body.result_info?.total_count)).toBeGreaterThanOrEqual(2);
    const c = await emu.rest('GET', `${nsRoot()}?limit=1`);
    expect(c.body.result_info).toHaveProperty('cursor');
  });

  it.each(['page=0', 'per_page=0', 'per_page=201', 'page=x', 'page=1&cursor=abc'])('repos ?%s is 400 10100', async (q) => {
    expectError(await emu.rest('GET', `${nsPath('paged')}/repos?${q}`), 400, 10100);
  });
  it.each(['page=0', 'per_page=201', 'page=1&cursor=abc'])('namespaces ?%s is 400 10100', async (q) => {
    expectError(await emu.rest('GET', `${nsRoot()}?${q}`), 400, 10100);
  });
});

describe('repo status (wrangler: creating | ready | importing | forking)', () => {
  type Repo = { name: string; status: string };
  const listed = async (ns: string, name: string): Promise<string | undefined> =>
    (await emu.rest<Repo[]>('GET', `${nsPath(ns)}/repos?limit=200`)).body.result.find((r) => r.name === name)?.status;

  it('a created repo is ready, in GET and in the list', async () => {
    await emu.createRepo('status', 'made');
    expect((await emu.rest<Repo>('GET', `${nsPath('status')}/repos/made`)).body.result.status).toBe('ready');
    expect(await listed('status', 'made')).toBe('ready');
  });

  it('a fork in progress is listed as forking and answers 409 10303; then ready', async () => {
    await emu.createRepo('status', 'parent');
    await emu.faults({ holdForks: true });
    try {
      const fork = emu.rest('POST', `${nsPath('status')}/repos/parent/fork`, { name: 'child' });
      await emu.held('fork');
      expect(await listed('status', 'child')).toBe('forking');
      expectError(await emu.rest('GET', `${nsPath('status')}/repos/child`), 409, 10303);
      expectError(await emu.rest('POST', `${nsPath('status')}/tokens`, { repo: 'child', scope: 'read' }), 409, 10303);
      expectError(await emu.rest('POST', `${nsPath('status')}/repos/parent/fork`, { name: 'child' }), 409, 10303);
      expectError(await emu.rest('DELETE', `${nsPath('status')}/repos/child`), 409, 10303);
      await emu.release('fork');
      expect((await fork).status).toBe(201);
    } finally {
      await emu.clearFaults();
    }
    expect((await emu.rest<Repo>('GET', `${nsPath('status')}/repos/child`)).body.result.status).toBe('ready');
  });

  it('an import in progress is listed as importing; then ready', async () => {
    await emu.createRepo('status', 'origin');
    await emu.faults({ holdImports: true });
    try {
      const r = await emu.rest('POST', `${nsPath('status')}/repos/copy/import`, { url: `${emu.url}/git/status/origin.git` });
      expect(r.status).toBe(201);
      await emu.held('import');
      expect(await listed('status', 'copy')).toBe('importing');
    } finally {
      await emu.clearFaults(); // lets the import go on
    }
    await emu.settledLog(); // waits for the background import too
    expect(await listed('status', 'copy')).toBe('ready');
  });
});
