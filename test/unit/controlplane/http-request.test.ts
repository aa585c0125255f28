// The real transport (node:http) against a local server: what it sends, what it returns, and
// the bounds it keeps (body cap, whole-exchange time limit, refused connections).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, type HttpCall } from '../../../src/controlplane/http-request.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (over: Partial<HttpCall> = {}): HttpCall => ({
  method: 'GET',
  url: `${base}/client/v4/x`,
  headers: { accept: 'application/json' },
  timeoutMs: 5_000,
  maxBodyBytes: 1024,
  ...over,
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { code?: unknown }).code);
  }
  throw new Error('expected a failure');
}

describe('httpRequest', () => {
  it('sends method, path, headers and a JSON body with its length; returns status, headers and body', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    handler = (req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' }).end('{"success":true}');
    };
    const body = JSON.stringify({ repo: 'r', note: 'é' });
    const a = await httpRequest(call({ method: 'POST', body, headers: { authorization: 'Bearer t', 'content-type': 'application/json' } }));
    expect(a.status).toBe(201);
    expect(a.body).toBe('{"success":true}');
    expect(a.header('retry-after')).toBe('3');
    expect(a.header('x-missing')).toBeNull();
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/client/v4/x');
    expect(seen.headers?.authorization).toBe('Bearer t');
    expect(seen.headers?.['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(seen.body).toBe(body);
  });

  it('a redirect is returned as it is, not followed', async () => {
    let hits = 0;
    handler = (_req, _b, res) => {
      hits++;
      res.writeHead(302, { location: `${base}/elsewhere` }).end();
    };
    expect((await httpRequest(call())).status).toBe(302);
    expect(hits).toBe(1);
  });

  it('a body over the cap fails with BODY_TOO_LARGE', async () => {
    handler = (_req, _b, res) => res.end('x'.repeat(4096));
    expect(await code(httpRequest(call()))).toBe('BODY_TOO_LARGE');
    handler = (_req, _b, res) => res.end('x'.repeat(1024));
    expect((await httpRequest(call())).body).toHaveLength(1024);
  });

  it('the time limit covers a server that sends headers and then stalls', async () => {
    handler = (_req, _b, res) => {
      res.writeHead(200);
      res.write('{');
    };
    expect(await code(httpRequest(call({ timeoutMs: 150 })))).toBe('TIMEOUT');
  });

  it("a refused connection fails with Node's code", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await code(httpRequest(call({ url: `http://127.0.0.1:${port}/` })))).toBe('ECONNREFUSED');
  });

  it('only http and https', async () => {
    expect(await code(httpRequest(call({ url: 'file:///etc/passwd' })))).toBe('BAD_PROTOCOL');
  });
});
