// The emulator's one HTTP server: REST under /client/v4/ (account-scoped) and /v1/api/,
// /edge/v1/api/ (namespace-scoped), git under /git/<ns>/<repo>.git and /<ns>/<repo>.git, test
// aids under /__emulator/. Every handler is guarded: a request can fail, the server can't.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context.js';
import { codes, failure, RestError, send } from './envelope.js';
import { handleGit, parseGitPath } from './git-route.js';
import { redact } from '../redact.js';
import { apiOf, handleRest } from './router.js';
import { handleTestAid } from './test-aids.js';

export interface Listening {
  server: http.Server;
  port: number;
  /** Stops accepting, ends idle connections, and waits for background imports. */
  close(): Promise<void>;
}

async function dispatch(emu: EmulatorContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  if (rawPath.startsWith('/__emulator/')) return handleTestAid(emu, req, res, rawPath);
  // Counted until its handler is done (and has logged it), for GET /__emulator/log/settled.
  emu.log.begin();
  try {
    await route(emu, req, res, rawPath, rawQuery);
  } finally {
    emu.log.end();
  }
}

async function route(emu: EmulatorContext, req: http.IncomingMessage, res: http.ServerResponse, rawPath: string, rawQuery: string): Promise<void> {
  const api = apiOf(rawPath);
  if (api) return handleRest(emu, req, res, api, rawPath, new URLSearchParams(rawQuery));
  if (rawPath.startsWith('/git/') || parseGitPath(rawPath)) return handleGit(emu, req, res, rawPath, rawQuery);
  send(res, 404, failure(new RestError(404, codes.notFound, `no route for ${req.method} ${rawPath}`)));
}

export function createEmulatorServer(emu: EmulatorContext): http.Server {
  const server = http.createServer((req, res) => {
    const started = Date.now();
    // The server's clock, shifted by the clock test aid like every timestamp it hands out, so a
    // client's clock-skew check (doctor) sees what a server with a wrong clock would send.
    res.setHeader('date', new Date(emu.store.now()).toUTCString());
    res.on('finish', () => {
      if (emu.verbose) emu.stderr.write(`artifacts-emulator: ${req.method} ${redact(req.url ?? '')} ${res.statusCode} ${Date.now() - started}ms\n`);
    });
    dispatch(emu, req, res).catch((e: unknown) => {
      emu.stderr.write(`artifacts-emulator: unhandled: ${String((e as Error)?.stack ?? e)}\n`);
      if (!res.headersSent) send(res, 500, failure(new RestError(500, codes.internal, 'internal error')));
      else res.destroy();
    });
  });
  server.requestTimeout = 5 * 60_000; // whole request, including a large push body
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

/** Binds and resolves with the chosen port (0 picks a free one). */
export function listen(server: http.Server, host: string, port: number, jobs: () => Set<Promise<void>>): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        close: async () => {
          const closed = new Promise<void>((r) => server.close(() => r()));
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
          await closed;
          await Promise.allSettled([...jobs()]);
        },
      });
    });
  });
}
