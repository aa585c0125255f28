// `artifacts-emulator`: a local Cloudflare Artifacts (REST control plane + git smart HTTP) for
// tests and demos. Prints `artifacts-emulator listening on <base URL>` as its first stdout line,
// then serves until `signal` aborts (cmd/ wires SIGINT/SIGTERM to it).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArtifactsError } from '../errors.js';
import type { Io } from '../io.js';
import { report, say } from '../report.js';
import type { EmulatorContext } from './context.js';
import { Faults } from './fault-injection.js';
import { RequestLog } from './request-log.js';
import { InFlightLimit } from './in-flight.js';
import { contentReadsAtOnce } from './rest-content.js';
import { createEmulatorServer, listen } from './server.js';
import { listenError, openState, resolveHost } from './start-up.js';
import { emulatorTool, version } from '../names.js';
import { humanOutput } from '../commander-style.js';
import { makeDataDir } from './data-dir.js';

const tool = emulatorTool;
export const apiTokenEnv = 'ARTIFACTS_EMULATOR_API_TOKEN';
export const jwtEnv = 'ARTIFACTS_EMULATOR_JWT';

interface Options {
  port: number;
  host: string;
  data?: string;
  apiToken?: string;
  jwt?: string;
  verbose: boolean;
  gitTimeout: number;
  allowLocalImport?: boolean;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function program(io: Io): Command {
  const cmd = new Command(tool)
    .description(
      'Local emulator of Cloudflare Artifacts: REST control plane (account-scoped /client/v4 and namespace-scoped /v1/api, ' +
        '/edge/v1/api) and git smart HTTP on one port.',
    )
    .addOption(new Option('--port <n>', 'port to listen on (0 picks a free one)').argParser(integer(0, 65535)).default(0))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data <dir>', 'state directory (repos, tokens); default: a new temp dir')
    .option('--api-token <token>', `API token REST calls must send as Bearer (prefer env ${apiTokenEnv}: argv is visible in ps)`)
    .option('--jwt <token>', `gateway JWT the namespace-scoped APIs (/v1/api, /edge/v1/api) accept as Bearer (prefer env ${jwtEnv})`)
    .option('--verbose', 'log every request to stderr', false)
    .addOption(new Option('--git-timeout <seconds>', 'kill a git http-backend child after this long').argParser(integer(1, 3600)).default(120))
    // Off by default: the service imports only from public HTTPS URLs; a local path would let any
    // REST caller read repos off this machine's disk.
    .addOption(new Option('--allow-local-import', 'tests only: REST import may also read local paths and file:// URLs (off: http(s) URLs only)'))
    .addHelpText('after', `\n\`${tool} demo\` runs a clone/push demo against a throw-away emulator (\`${tool} demo --help\`).\nThe first stdout line is "${tool} listening on http://<host>:<port>".\nTest aids live under /__emulator/ (see src/emulator/test-aids.ts).`)
    .version(version);
  return humanOutput(cmd, io, tool);
}

/**
 * A JWT-shaped (https://www.rfc-editor.org/rfc/rfc7519) stand-in for a gateway token. The
 * emulator compares it as an opaque string, as it does the API token; the shape makes it look
 * like what a real deployment hands out, so redaction by shape is exercised too.
 */
export function newGatewayJwt(nowMs: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ alg: 'HS256', typ: 'JWT' });
  const payload = part({ iss: 'artifacts-emulator', sub: 'emulator', iat: Math.floor(nowMs / 1000) });
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

/**
 * signal stops it cleanly; onForcedExit registers what must still happen when the process is
 * ended without that clean stop finishing (cmd/artifacts-emulator.ts: a second signal, or the
 * grace period running out): removing the temp data dir it made.
 */
export async function emulatorMain(io: Io, signal?: AbortSignal, onForcedExit?: (cleanup: () => void) => void): Promise<number> {
  const other = await helpOf(io, signal, onForcedExit);
  if (other !== undefined) return other;
  let opts: Options;
  try {
    opts = program(io).parse(io.argv, { from: 'user' }).opts<Options>();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return report(tool, e, io.stderr);
  }
  try {
    const credentials = credentialsOf(opts, io);
    const dataDir = opts.data ? path.resolve(io.cwd, opts.data) : await mkdtemp(path.join(os.tmpdir(), 'artifacts-emulator-'));
    if (!opts.data) onForcedExit?.(() => rmSync(dataDir, { recursive: true, force: true }));
    try {
      if (opts.data) await makeDataDir(dataDir);
      return await serve(io, opts, credentials, dataDir, signal);
    } finally {
      if (!opts.data) await rm(dataDir, { recursive: true, force: true }); // our own temp dir
    }
  } catch (e) {
    return report(tool, e, io.stderr);
  }
}

/** `help` and `help <other>`; undefined for a run of the server. (`demo` and `help demo` go to the demo first: src/demo/emulator-entry.ts.) */
async function helpOf(io: Io, signal?: AbortSignal, onForcedExit?: (cleanup: () => void) => void): Promise<number | undefined> {
  if (io.argv[0] === 'help' && io.argv.length === 1) return emulatorMain({ ...io, argv: ['--help'] }, signal, onForcedExit);
  if (io.argv[0] !== 'help') return undefined;
  const asked = JSON.stringify(io.argv.slice(1).join(' ')).slice(0, 80);
  return report(tool, new ArtifactsError('usage', `no help for ${asked}: the emulator has one command, \`demo\``, {
    hint: `see \`${tool} --help\` or \`${tool} demo --help\``,
  }), io.stderr);
}

interface Credentials {
  apiToken: string;
  jwt: string;
  /** Lines about credentials made up for this run, printed only once the server listens. */
  madeUp: string[];
}

function credentialsOf(opts: Options, io: Io): Credentials {
  // Made up when not given, and printed only once the server listens: a server that never
  // starts says why, not first two lines about credentials nobody can use (issue 21).
  const madeUp: string[] = [];
  let apiToken = opts.apiToken ?? io.env[apiTokenEnv];
  if (!apiToken) {
    apiToken = `emu_${randomBytes(16).toString('hex')}`;
    madeUp.push(`no API token given (--api-token or ${apiTokenEnv}); this run accepts: ${apiToken}`);
  }
  let jwt = opts.jwt ?? io.env[jwtEnv];
  if (!jwt) {
    jwt = newGatewayJwt(io.now());
    madeUp.push(`no gateway JWT given (--jwt or ${jwtEnv}); this run accepts: ${jwt}`);
  }
  if (jwt === apiToken) {
    throw new ArtifactsError('usage', 'the gateway JWT and the API token must differ', {
      hint: `each API accepts only its own credential; give --jwt (or ${jwtEnv}) another value`,
    });
  }
  return { apiToken, jwt, madeUp };
}

/** Listens until the signal; 0 once stopped. */
async function serve(io: Io, opts: Options, credentials: Credentials, dataDir: string, signal?: AbortSignal): Promise<number> {
  const emu: EmulatorContext = {
    store: await openState(dataDir, io.now),
    faults: new Faults(),
    log: new RequestLog(),
    apiToken: credentials.apiToken,
    jwt: credentials.jwt,
    baseUrl: '',
    gitTimeoutMs: opts.gitTimeout * 1000,
    verbose: opts.verbose,
    allowLocalImport: opts.allowLocalImport === true,
    stderr: io.stderr,
    busy: new Set(),
    jobs: new Set(),
    contentReads: new InFlightLimit(contentReadsAtOnce),
  };
  if (signal?.aborted) return 0; // stopped while starting
  await resolveHost(opts.host);
  const listening = await listen(createEmulatorServer(emu), opts.host, opts.port, () => emu.jobs).catch((e: unknown) => {
    throw listenError(e, opts.host, opts.port);
  });
  emu.baseUrl = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${listening.port}`;
  io.stdout.write(`${tool} listening on ${emu.baseUrl}\n`);
  // Written as is: say() would redact them (JWT shapes are), and these are meant to be read.
  for (const line of credentials.madeUp) io.stderr.write(`${tool}: ${line}\n`);
  if (opts.verbose) say(tool, io.stderr, `data in ${dataDir}`);
  await new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await listening.close();
  return 0;
}
