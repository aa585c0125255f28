// A latch in front of the emulator's REST API: every request is passed through as it is, except
// the first one `hold` picks, which waits until the test releases it. A test that must act while
// a request is in flight (a signal mid-mint) then waits for that request to arrive and lets it go
// when it is done, instead of racing a delay window.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldApi {
  /** The API base URL to configure instead of the emulator's (same path). */
  apiUrl: string;
  /** Resolves when the held request has arrived (and is being held). */
  arrived: Promise<void>;
  /** Sends the held request on to the emulator. */
  release(): void;
  stop(): Promise<void>;
}

export interface HeldRequest {
  method: string;
  path: string;
  body: string;
}

export async function holdApi(emulatorApiUrl: string, hold: (r: HeldRequest) => boolean): Promise<HeldApi> {
  const upstream = new URL(emulatorApiUrl);
  let held = false;
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (!held && hold({ method: req.method ?? '', path: req.url ?? '', body: body.toString('utf8') })) {
        held = true;
        arrive();
        await released;
      }
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    arrived,
    release,
    stop: () => {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
