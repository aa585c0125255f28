// git-remote-artifacts: git runs `git remote-artifacts <remote> <url>` (gitremote-helpers(7))
// for artifacts://<ns>/<repo> and artifacts::<url> remotes. We find the https remote, start
// git's own `git remote-https` on it, tell our credential helper whether this session fetches
// or pushes (operation file), answer the child's credential request from the token cache
// when we can (session-helper.ts), and get out of the way: the child's exit code is ours
// (docs/credential-flow.md, "What the wrapper does").
import type { EventEmitter } from 'node:events';
import type { Io } from '../io.js';
import { ArtifactsError } from '../errors.js';
import { report } from '../report.js';
import { makeTrace, type Trace } from '../trace.js';
import { childEnv } from './child-env.js';
import { nodeTransport, type Pipes, type Transport } from './child.js';
import { bunRuntime, bunTransport } from './bun-transport.js';
import { cloudflareGitAccount, isLoopbackHost } from '../endpoint/endpoint.js';
import { SessionHelper } from './session-helper.js';
import { OperationFile, type CreateMode } from '../operation-file.js';
import { CommandGate } from './relay.js';
import { parseRemoteUrl, type RemoteUrl } from './url.js';
import { prepare, type Deferred, type Request, type Target } from './target.js';
import { remoteTool, version } from '../names.js';
import { deliverableSignal } from '../child-process.js';

export const tool = remoteTool;
// SIGQUIT too: our cleanup (the answer file, the session dir) must run whatever stops git.
const forwardedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

const usage = `Usage: ${remoteTool} <remote> <url>

git starts this remote helper for artifacts://<namespace>/<repo> and artifacts::<url> remotes
(https://git-scm.com/docs/gitremote-helpers); it is not meant to be run by hand:

  git clone artifacts://<namespace>/<repo>
  git push artifacts::https://<ACCOUNT_ID>.artifacts.cloudflare.net/git/<namespace>/<repo>.git
  git push artifacts::https://<gateway host>/<namespace>/<repo>.git   (a namespace-scoped API)

Set up with \`git-credential-artifacts configure\`.
`;

/** signals: where SIGINT/SIGTERM/SIGHUP arrive (cmd/ passes process). */
export async function remoteMain(io: Io, signals?: EventEmitter): Promise<number> {
  const trace = makeTrace(tool, io.env, (line) => io.stderr.write(line));
  let op: OperationFile | undefined;
  // A person asking, not git: usage on stdout (git never passes these as a remote name).
  if (io.argv.length === 1 && (io.argv[0] === '--help' || io.argv[0] === '-h' || io.argv[0] === '--version')) {
    io.stdout.write(io.argv[0] === '--version' ? `${version}\n` : usage);
    return 0;
  }
  try {
    const [name, given, ...extra] = io.argv;
    if (name === undefined || extra.length > 0) {
      throw new ArtifactsError('usage', 'git-remote-artifacts is started by git, as `git-remote-artifacts <remote> <url>`', {
        hint: 'use it through git: `git clone artifacts://<namespace>/<repo>` or `git push artifacts::https://…`',
      });
    }
    const parsed = parseRemoteUrl(given ?? name);
    op = new OperationFile(io.env, io.now);
    return await run(io, trace, { name, given: given ?? name, parsed }, op, signals);
  } catch (e) {
    return report(tool, e, io.stderr);
  } finally {
    op?.remove();
  }
}

type DirectUrl = Pick<Extract<RemoteUrl, { kind: 'direct' }>, 'url' | 'scheme' | 'origin'>;

/** A transport child and the helper files it was started with. */
interface RunningTransport {
  transport: Transport;
  session: SessionHelper | undefined;
}

/** The session's one transport and the helper it answers through, once there is one. */
interface Live {
  session: SessionHelper | undefined;
  create: CreateMode;
}

/** What starting a transport needs of the session. */
interface Session {
  io: Io;
  trace: Trace;
  op: OperationFile;
  name: string;
}

/**
 * Starts git's transport for url. session: our helper in charge of the origin, answered
 * through its files; undefined: no helper of ours (git's own config decides). pipes: git's
 * stdin and stdout stand-ins (deferred-create.ts), on Node's streams.
 */
function startTransport(s: Session, direct: DirectUrl, withHelper: boolean, pipes?: Pipes): RunningTransport {
  const { io, trace, op, name } = s;
  const session = withHelper ? new SessionHelper({ url: direct.url, origin: direct.origin, dir: op.dir, env: io.env, now: io.now, trace }) : undefined;
  const env = childEnv({ env: io.env, operationFile: op.file, origin: direct.origin, helper: session?.helper, url: direct.url });
  const options = { scheme: direct.scheme, name, url: direct.url, env, cwd: io.cwd };
  // Our own process's stdin and stdout under Bun (the single executable): Bun's APIs, which
  // start faster than its Node streams (bun-transport.ts); otherwise, and in-process, Node's.
  const bun = io.fds && !pipes ? bunRuntime() : undefined;
  const transport = bun ? bunTransport(bun, options) : nodeTransport({ ...options, stdin: io.stdin, stdout: io.stdout, ...pipes, stderr: io.stderr });
  // A start failure is awaited later (run); until then it must not count as unhandled.
  transport.exited.catch(() => undefined);
  return { transport, session };
}

/**
 * Whether the transport may start before the origin policy is known: only for origins the
 * policy is all but sure to allow (Cloudflare's account hosts, loopback). git-remote-http makes
 * no HTTP request before its first command, but its start-up (http_init() in git's http.c)
 * may already ask for a proxy's or a client certificate's password; for any other origin (the
 * attacker's host of a hostile .gitmodules) nothing of git's starts before we decide.
 */
function startsEarly(origin: string): boolean {
  const url = new URL(origin);
  return (url.protocol === 'https:' && cloudflareGitAccount(url.host) !== undefined) || isLoopbackHost(url.hostname);
}

/** Ends a child that has been given nothing yet (no command, so no HTTP request). */
function abort(started: RunningTransport | undefined): void {
  started?.transport.kill('SIGKILL');
}

/** The transport for target (the early one when it fits), with our helper behind it; live learns its session. */
function launch(s: Session, target: Target, live: Live, early: RunningTransport | undefined, pipes?: Pipes): Transport {
  let started = early;
  if (started && !target.injection) {
    // No helper of ours for this origin after all: start it again without one.
    abort(started);
    started = undefined;
  }
  started ??= startTransport(s, target, target.injection !== undefined, pipes);
  if (target.injection) started.session!.useHelper(target.injection.helper, target.injection.argv);
  s.trace('child', { command: `git remote-${target.scheme}`, url: target.url, early: started === early });
  live.session = started.session;
  live.create = target.create;
  return started.transport;
}

async function run(io: Io, trace: Trace, request: Request, op: OperationFile, signals: EventEmitter | undefined): Promise<number> {
  const s: Session = { io, trace, op, name: request.name };
  // A remote URL known from the start (artifacts::<url>, how configure routes every push) gets
  // its transport at once, with our helper, while we read config: git's own start-up then
  // overlaps ours (README.md, "Speed"). The child sends no HTTP request before its first
  // command, and it gets none, not even `capabilities`, until the origin policy allows it; a
  // refused origin's child is killed with nothing sent.
  const early = request.parsed.kind === 'direct' && startsEarly(request.parsed.origin) ? startTransport(s, request.parsed, true) : undefined;
  let prepared: Target | Deferred;
  try {
    prepared = await prepare(io, trace, request);
  } catch (e) {
    abort(early);
    throw e;
  }
  const live: Live = { session: undefined, create: 'create' };
  let transport: Transport;
  if (prepared.kind === 'deferred') {
    // A repo the API does not know (artifacts://, createOnPush on): git's first command decides (issue 23).
    const { deferredTransport } = await import('./deferred-create.js');
    transport = deferredTransport({ io, trace, op, name: request.name, deferred: prepared, launch: (t, pipes) => launch(s, t, live, undefined, pipes) });
  } else {
    transport = launch(s, prepared, live, early);
  }
  return relayAll(s, transport, live, signals);
}

/** Feeds git's commands to the transport (the scope recorded first) and waits for its exit. */
async function relayAll({ trace, op }: Session, transport: Transport, live: Live, signals: EventEmitter | undefined): Promise<number> {
  let failure: unknown;
  const gate = new CommandGate(
    (scope, command) => {
      trace('classify', { command: command.slice(0, 80), scope: scope ?? 'unknown' });
      if (!scope) return; // nothing recorded: the credential helper falls back to read
      live.session?.prepare(scope);
      op.record(scope, live.create);
      trace('operation.write', { file: op.file, scope });
    },
    () => live.session?.drop(),
  );
  const stop = transport.relay(gate, (e) => {
    failure = e;
    transport.kill('SIGTERM');
  });
  const forward = (signal: NodeJS.Signals): void => {
    trace('signal', { signal });
    try {
      transport.kill(deliverableSignal(signal));
    } catch {
      // The transport has ended (or never started): nothing left to pass the signal to.
    }
  };
  for (const sig of forwardedSignals) signals?.on(sig, forward);
  try {
    const code = await transport.exited;
    trace('exit', { code });
    live.session?.finished(code);
    if (failure) throw failure;
    return code;
  } finally {
    live.session?.drop();
    for (const sig of forwardedSignals) signals?.off(sig, forward);
    stop();
  }
}
