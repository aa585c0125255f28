// A hostile git server on loopback for attack tests: it records every request (and whether it
// carried credentials) and answers what a test tells it, by default a 401 Basic challenge so
// that git asks its credential helpers. Nothing it receives may ever hold a token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configuredHome } from './artifacts-home.js';
import { startEmulator, type Emulator } from './emulator.js';
import type { GitHome } from './git-home.js';
import type { GitUnderTest } from './gits.js';

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface Attacker {
  /** http://127.0.0.1:<port> */
  url: string;
  seen: SeenRequest[];
  /** Requests that carried an Authorization header (or credentials in any other header). */
  withCredentials(): SeenRequest[];
  stop(): Promise<void>;
}

export type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export const challenge401: Answer = (_req, res) => {
  res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="artifacts"', 'Content-Type': 'text/plain' });
  res.end('Authentication required\n');
};

export async function startAttacker(answer: Answer = challenge401): Promise<Attacker> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    withCredentials: () => seen.filter((r) => r.authorization !== undefined),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Requests that carried a repo token in Basic or Bearer form (Authorization or Proxy-Authorization). */
export function tokensIn(seen: readonly SeenRequest[]): SeenRequest[] {
  return seen.filter((s) => s.authorization && Buffer.from(s.authorization.replace(/^\S+\s+/, ''), 'base64').toString('latin1').includes('art_v'));
}

export interface AttackWorld {
  emu: Emulator;
  attacker: Attacker;
  /** Configured for the emulator with the real `configure`, as a user does. */
  home: GitHome;
  stop(): Promise<void>;
}

/** The world of the attack suites: the emulator with a repo `default/victim`, an attacker, a configured home. */
export async function startAttackWorld(git: GitUnderTest): Promise<AttackWorld> {
  const emu = await startEmulator();
  const attacker = await startAttacker();
  const home = await configuredHome(git, emu);
  await emu.createRepo('default', 'victim');
  return {
    emu,
    attacker,
    home,
    stop: async () => {
      await emu.stop();
      await attacker.stop();
      home.cleanup();
    },
  };
}
