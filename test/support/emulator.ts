// Starts the built emulator (dist/artifacts-emulator.cjs) for one test file and wraps its REST
// and test-aid routes. Used by every e2e suite; keep the API small.
//
//   const emu = await startEmulator();
//   const repo = await emu.createRepo('ns', 'demo');          // {remote, token, ...}
//   const tok = await emu.mintToken('ns', 'demo', 'read', 60);
//   await emu.faults({ routes: [{ route: 'mint', status: 429, retryAfter: 1 }] });
//   expect((await emu.log()).filter((e) => e.kind === 'mint')).toHaveLength(1);
//   await emu.stop();
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaultSettings } from '../../src/emulator/fault-injection.js';
import type { LogEntry } from '../../src/emulator/request-log.js';

export type { FaultRoute, FaultSettings, RouteFault } from '../../src/emulator/fault-injection.js';
export type { GitLogEntry, LogEntry, MintLogEntry, RestLogEntry } from '../../src/emulator/request-log.js';

const bundle = path.resolve(import.meta.dirname, '../../dist/artifacts-emulator.cjs');

export interface StartOptions {
  /** Reuse a state dir (restart tests); it is then NOT removed by stop(). Default: a new temp dir. */
  dataDir?: string;
  /** Default: a random one. Passed as env ARTIFACTS_EMULATOR_API_TOKEN, never in argv. */
  apiToken?: string;
  /** The gateway JWT of the namespace-scoped APIs. Default: a random JWT-shaped one, as env ARTIFACTS_EMULATOR_JWT. */
  jwt?: string;
  /** Account id used in REST URLs (any ^[A-Za-z0-9_-]{1,64}$ works). Default `test-account`. */
  account?: string;
  /** Pass --verbose (request log on the emulator's stderr; see stderr()). */
  verbose?: boolean;
  /** Extra argv for the emulator, e.g. ['--git-timeout', '5']. */
  args?: string[];
}

/** The REST v4 envelope, as returned by rest(). */
export interface Envelope<T = unknown> {
  success: boolean;
  errors: { code: number; message: string }[];
  messages: { code: number; message: string }[];
  result: T;
  result_info?: Record<string, unknown>;
}

export interface CreatedRepo {
  id: string;
  name: string;
  description: string;
  default_branch: string;
  /** http://127.0.0.1:<port>/git/<ns>/<name>.git */
  remote: string;
  /** A write token, 24 h: `art_v1_<40 hex>?expires=<unix>` */
  token: string;
}

export interface MintedToken {
  id: string;
  plaintext: string;
  scope: 'read' | 'write';
  expires_at: string;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** url + '/client/v4' (account-scoped, API token) */
  apiUrl: string;
  /** url + '/v1/api' (namespace-scoped, gateway JWT) */
  gatewayUrl: string;
  /** url + '/edge/v1/api' (namespace-scoped, gateway JWT) */
  edgeUrl: string;
  account: string;
  apiToken: string;
  /** The gateway JWT the namespace-scoped APIs accept. */
  jwt: string;
  dataDir: string;
  /** The emulator process (its memory is read by the content-stream test). */
  pid: number;
  /** REST base of a namespace: apiUrl/accounts/<account>/artifacts/namespaces/<ns> */
  nsUrl(ns: string): string;
  /**
   * Any REST or test-aid call, with the API token unless `bearer` says otherwise (null: no
   * Authorization header); `path` is relative to `url`. Never throws on status.
   */
  rest<T = unknown>(method: string, path: string, body?: unknown, bearer?: string | null): Promise<{ status: number; headers: Headers; body: Envelope<T> }>;
  createRepo(ns: string, name: string): Promise<CreatedRepo>;
  /** POST /tokens; ttl in seconds (omitted: the server default, 86400). */
  mintToken(ns: string, repo: string, scope: 'read' | 'write', ttl?: number): Promise<MintedToken>;
  /** Adds route faults and/or changes token settings (see FaultSettings). */
  faults(settings: FaultSettings): Promise<void>;
  /** Removes every fault and resets token settings. */
  clearFaults(): Promise<void>;
  /** The request log (mints, git requests, other REST calls), oldest first. */
  log(): Promise<LogEntry[]>;
  /** The log once every request the emulator got so far has been answered and logged. */
  settledLog(): Promise<LogEntry[]>;
  clearLog(): Promise<void>;
  /** Shifts the server clock (token expiry, timestamps) by ms; 0 resets. */
  setClockOffset(ms: number): Promise<void>;
  /** Revokes a token by id (any namespace). */
  revoke(id: string): Promise<void>;
  /** Resolves once a request or job waits at the latch (a route's name, `import`, `fork`); rejects after 30 s. */
  held(latch: string): Promise<void>;
  /** Lets go of what waits at the latch (all latches when none is named); how many went on. */
  release(latch?: string): Promise<number>;
  /** What the emulator wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, wait for exit; removes the data dir unless it was passed in. */
  stop(): Promise<void>;
}

/** A random JWT-shaped gateway token (header.payload.signature, base64url). */
export function testJwt(): string {
  const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'test', nonce: Math.random() })}.${Buffer.from(String(Math.random())).toString('base64url')}`;
}

export async function startEmulator(opts: StartOptions = {}): Promise<Emulator> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'artifacts-emu-'));
  const apiToken = opts.apiToken ?? `test-api-${Math.random().toString(36).slice(2)}`;
  const account = opts.account ?? 'test-account';
  const jwt = opts.jwt ?? testJwt();
  const args = [bundle, '--port', '0', '--data', dataDir, ...(opts.verbose ? ['--verbose'] : []), ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ARTIFACTS_EMULATOR_API_TOKEN: apiToken, ARTIFACTS_EMULATOR_JWT: jwt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 10 s: ${stderr}`)), 10_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out.split('\n')[0] ?? '');
      if (m?.[1] && out.includes('\n')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`emulator exited before listening: ${stderr}`)));
  });
  const apiUrl = `${url}/client/v4`;
  const nsUrl = (ns: string): string => `${apiUrl}/accounts/${account}/artifacts/namespaces/${ns}`;

  const rest: Emulator['rest'] = async (method, p, body, bearer = apiToken) => {
    const res = await fetch(url + p, {
      method,
      headers: { ...(bearer === null ? {} : { Authorization: `Bearer ${bearer}` }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as never };
  };
  const ok = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const r = await rest<T>(method, p, body);
    if (!r.body.success) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body.errors)}`);
    return r.body.result;
  };
  const nsPath = (ns: string): string => nsUrl(ns).slice(url.length);

  return {
    url,
    apiUrl,
    gatewayUrl: `${url}/v1/api`,
    edgeUrl: `${url}/edge/v1/api`,
    account,
    apiToken,
    jwt,
    dataDir,
    pid: child.pid!,
    nsUrl,
    rest,
    createRepo: (ns, name) => ok<CreatedRepo>('POST', `${nsPath(ns)}/repos`, { name }),
    mintToken: (ns, repo, scope, ttl) => ok<MintedToken>('POST', `${nsPath(ns)}/tokens`, { repo, scope, ...(ttl === undefined ? {} : { ttl }) }),
    faults: async (settings) => void (await ok('POST', '/__emulator/faults', settings)),
    clearFaults: async () => void (await ok('DELETE', '/__emulator/faults')),
    log: () => ok<LogEntry[]>('GET', '/__emulator/log'),
    settledLog: () => ok<LogEntry[]>('GET', '/__emulator/log/settled'),
    clearLog: async () => void (await ok('DELETE', '/__emulator/log')),
    setClockOffset: async (ms) => void (await ok('POST', '/__emulator/clock', { offsetMs: ms })),
    revoke: async (id) => void (await ok('DELETE', `/__emulator/tokens/${encodeURIComponent(id)}`)),
    held: async (latch) => void (await ok('GET', `/__emulator/held/${encodeURIComponent(latch)}`)),
    release: async (latch) => (await ok<{ released: number }>('POST', '/__emulator/release', latch === undefined ? {} : { latch })).released,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
