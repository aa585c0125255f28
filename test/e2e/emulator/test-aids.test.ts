// The /__emulator/ test aids: route faults, token lifetime/prefix, request log, clock.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator, MintLogEntry } from '../../support/emulator.js';

let emu: Emulator;
const nsPath = (ns: string): string => emu.nsUrl(ns).slice(emu.url.length);

withEmulator((e) => (emu = e));
beforeAll(async () => {
  await emu.createRepo('aids', 'demo');
});
beforeEach(async () => {
  await emu.clearFaults();
  await emu.clearLog();
});

describe('test aids', () => {
  it('need the API token', async () => {
    for (const p of ['/__emulator/log', '/__emulator/faults']) expect((await fetch(emu.url + p)).status).toBe(401);
  });

  it('mint 429 with Retry-After for the next N requests, then normal', async () => {
    await emu.faults({ routes: [{ route: 'mint', status: 429, retryAfter: 2, count: 2 }] });
    for (let i = 0; i < 2; i++) {
      const r = await emu.rest('POST', `${nsPath('aids')}/tokens`, { repo: 'demo', scope: 'read', ttl: 300 });
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('2');
      expect(r.body.success).toBe(false);
    }
    expect((await emu.rest('POST', `${nsPath('aids')}/tokens`, { repo: 'demo', scope: 'read', ttl: 300 })).status).toBe(201);
    const mints = (await emu.log()).filter((e): e is MintLogEntry => e.kind === 'mint');
    expect(mints.map((m) => m.status)).toEqual([429, 429, 201]);
    expect(mints[2]).toMatchObject({ namespace: 'aids', repo: 'demo', scope: 'read', ttl: 300, tokenId: expect.stringMatching(/^[0-9a-z]{16}$/) });
    expect(mints[0]?.tokenId).toBeNull();
  });

  it('repo-get 409 10302, revoke 404 right after mint, 5xx', async () => {
    await emu.faults({ routes: [{ route: 'repo-get', status: 409 }, { route: 'revoke', status: 404 }, { route: 'repo-list', status: 503 }] });
    const get = await emu.rest('GET', `${nsPath('aids')}/repos/demo`);
    expect(get.status).toBe(409);
    expect(get.body.errors[0]?.code).toBe(10302);
    const t = await emu.mintToken('aids', 'demo', 'read');
    const revoke = await emu.rest('DELETE', `${nsPath('aids')}/tokens/${t.id}`);
    expect(revoke.status).toBe(404);
    expect(revoke.body.errors[0]?.code).toBe(10200);
    expect((await emu.rest('DELETE', `${nsPath('aids')}/tokens/${t.id}`)).status).toBe(200);
    const list = await emu.rest('GET', `${nsPath('aids')}/repos`);
    expect(list.status).toBe(503);
    expect(list.body.errors[0]?.code).toBe(10400);
  });

  it('holds a route until released; the settled log waits for it', async () => {
    await emu.clearLog();
    await emu.faults({ routes: [{ route: 'repo-get', hold: true }] });
    const slow = emu.rest('GET', `${nsPath('aids')}/repos/demo`);
    await emu.held('repo-get');
    expect((await emu.rest('GET', `${nsPath('aids')}/repos`)).status).toBe(200);
    const settled = emu.settledLog();
    expect(await emu.release('repo-get')).toBe(1);
    // The held request, sent first, is answered (and logged) after the one sent after it.
    const routes = (await settled).map((e) => e.kind === 'rest' && e.route);
    expect(routes).toEqual(['repo-list', 'repo-get']);
    expect((await slow).status).toBe(200);
  });

  it('short server-side lifetime: reported honestly by default, or as asked', async () => {
    await emu.faults({ tokenLifetimeSeconds: 3 });
    // Compared with the emulator's own created_at, so no clock of ours is involved.
    const listed = async (id: string) => {
      const list = await emu.rest<{ id: string; created_at: string; expires_at: string }[]>('GET', `${nsPath('aids')}/repos/demo/tokens`);
      const t = list.body.result.find((x) => x.id === id)!;
      return { created: Date.parse(t.created_at), expires: Date.parse(t.expires_at) };
    };
    const honest = await emu.mintToken('aids', 'demo', 'read', 3600);
    const h = await listed(honest.id);
    expect(h.expires - h.created).toBe(3_000);
    expect(Date.parse(honest.expires_at)).toBe(h.expires);
    await emu.faults({ reportAskedExpiry: true });
    const liar = await emu.mintToken('aids', 'demo', 'read', 3600);
    const l = await listed(liar.id);
    expect(Date.parse(liar.expires_at) - l.created).toBe(3_600_000);
    expect(l.expires - l.created).toBe(3_000);
  });

  it('token prefix', async () => {
    await emu.faults({ tokenPrefix: 'art_v2_x_' });
    expect((await emu.mintToken('aids', 'demo', 'read')).plaintext).toMatch(/^art_v2_x_[0-9a-f]{40}\?expires=\d+$/);
    await emu.clearFaults();
    expect((await emu.mintToken('aids', 'demo', 'read')).plaintext).toMatch(/^art_v1_/);
  });

  it('clock offset moves expiry', async () => {
    const t = await emu.mintToken('aids', 'demo', 'read', 60);
    const state = async (): Promise<string | undefined> =>
      (await emu.rest<{ id: string; state: string }[]>('GET', `${nsPath('aids')}/repos/demo/tokens?state=all&per_page=100`)).body.result.find((x) => x.id === t.id)?.state;
    expect(await state()).toBe('active');
    await emu.setClockOffset(60_000);
    expect(await state()).toBe('expired');
    await emu.setClockOffset(0);
    expect(await state()).toBe('active');
  });

  it('rejects bad fault settings with 400', async () => {
    const r = await emu.rest('POST', '/__emulator/faults', { routes: [{ route: 'everything' }] });
    expect(r.status).toBe(400);
    expect((await emu.rest('POST', '/__emulator/clock', { offsetMs: 'soon' })).status).toBe(400);
  });
});
