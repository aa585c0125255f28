// Bad input never writes anything and never takes the server down; each answer is a clear
// 4xx envelope with a documented code.
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEmulator } from '../../support/fixtures.js';
import type { Emulator } from '../../support/emulator.js';

let emu: Emulator;
const nsPath = (ns: string): string => emu.nsUrl(ns).slice(emu.url.length);

withEmulator((e) => (emu = e));
beforeAll(async () => {
  await emu.createRepo('bad', 'exists');
});

/** node:http, not fetch: fetch normalises `..` and `%2E%2E` away before sending. */
function raw(method: string, p: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { success: boolean; errors: { code: number; message: string }[] } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(emu.url + '/', { method, path: p, headers: { Authorization: `Bearer ${emu.apiToken}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function repoNames(): Promise<string[]> {
  const r = await emu.rest<{ name: string }[]>('GET', `${nsPath('bad')}/repos?limit=200`);
  return r.body.result.map((x) => x.name).sort();
}

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"name":', 400, 10100],
    ['a JSON array', '["x"]', 400, 10100],
    ['a JSON string', '"x"', 400, 10100],
    ['no name', '{}', 400, 10100],
    ['name of the wrong type', '{"name":42}', 400, 10100],
    ['name ..', '{"name":".."}', 400, 10101],
    ['name with /', '{"name":"a/b"}', 400, 10101],
    ['name with %2F', '{"name":"a%2Fb"}', 400, 10101],
    ['name with a control character', '{"name":"a\\u0007b"}', 400, 10101],
    ['name with a newline', '{"name":"a\\nb"}', 400, 10101],
    ['name too long', JSON.stringify({ name: 'x'.repeat(256) }), 400, 10101],
    ['description too long', JSON.stringify({ name: 'ok1', description: 'd'.repeat(1025) }), 400, 10100],
    ['description of the wrong type', '{"name":"ok2","description":5}', 400, 10100],
    ['read_only of the wrong type', '{"name":"ok3","read_only":"yes"}', 400, 10100],
    ['bad default_branch', '{"name":"ok4","default_branch":"a..b"}', 400, 10100],
    ['oversized body', JSON.stringify({ name: 'big', description: 'x'.repeat(200_000) }), 413, 10100],
  ])('POST /repos with %s -> %d %d, nothing written', async (_name, body, status, code) => {
    const before = await repoNames();
    const r = await raw('POST', `${nsPath('bad')}/repos`, body, { 'Content-Type': 'application/json' });
    expect(r.status).toBe(status);
    expect(r.json.success).toBe(false);
    expect(r.json.errors[0]?.code).toBe(code);
    expect(r.json.errors[0]?.message).toBeTruthy();
    expect(await repoNames()).toEqual(before);
  });

  it.each([
    ['GET', '/repos/a%2Fb', 400, 10101],
    ['GET', '/repos/%2E%2E', 400, 10101],
    ['GET', '/repos/..', 400, 10101],
    ['GET', '/repos/../../repos', 404, 10200],
    ['GET', '/repos/a%00b', 400, 10101],
    ['GET', `/repos/${'x'.repeat(256)}`, 400, 10101],
    ['GET', '/repos/%E0%A4%A', 400, 10100],
    ['GET', '/repos/exists/nope', 404, 10200],
    ['PUT', '/repos/exists', 405, 10100],
    ['PATCH', '/repos', 405, 10100],
    ['GET', '/tokens', 405, 10100],
    ['DELETE', '/tokens/a%2Fb', 404, 10200],
  ])('%s <ns>%s -> %d %d', async (method, p, status, code) => {
    const r = await raw(method, `${nsPath('bad')}${p}`);
    expect(r.status).toBe(status);
    expect(r.json.errors[0]?.code).toBe(code);
  });

  it.each([
    ['/client/v4/accounts/bad.account/artifacts/namespaces/bad/repos', 400, 10100],
    [`/client/v4/accounts/${'a'.repeat(65)}/artifacts/namespaces/bad/repos`, 400, 10100],
    ['/client/v4/accounts/acc/artifacts/namespaces/x/repos', 400, 10100],
    ['/client/v4/accounts/acc/artifacts/namespaces/bad%2Fns/repos', 400, 10100],
    ['/client/v4/accounts/acc/workers/scripts', 404, 10200],
    ['/client/v4/nothing', 404, 10200],
    ['/elsewhere', 404, 10200],
  ])('GET %s -> %d %d', async (p, status, code) => {
    const r = await raw('GET', p);
    expect(r.status).toBe(status);
    expect(r.json.errors[0]?.code).toBe(code);
  });

  it('any account id of the allowed shape reaches the same data', async () => {
    const r = await raw('GET', '/client/v4/accounts/some-other_ACCOUNT/artifacts/namespaces/bad/repos/exists');
    expect(r.status).toBe(200);
  });

  it('survives garbage and keeps serving', async () => {
    const net = await import('node:net');
    const port = Number(new URL(emu.url).port);
    for (const junk of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', '\u0000\u0001\u0002']) {
      await new Promise<void>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.end(junk));
        s.on('data', () => undefined);
        s.on('close', () => resolve());
        s.on('error', () => resolve());
      });
    }
    const r = await emu.rest('GET', `${nsPath('bad')}/repos/exists`);
    expect(r.status).toBe(200);
  });
});
