// Push-to-create for artifacts://<ns>/<repo> (issue 23), loaded only when the API does not know
// the repo and artifacts.createOnPush is on (target.ts). Whether this session pushes is known
// only from git's first real command, and git sends `capabilities` and `option …` before it,
// waiting for each answer. So a stand-in `git remote-https` on a placeholder URL answers those
// (the same program as the real transport, so the same answers; it makes no HTTP request for
// them, and http.<placeholder>.proactiveAuth is none), and we keep the lines. At the first real
// command (classify.ts):
// - a read (`list`, `stateless-connect`, fetch): the lookup's not-found error, nothing created;
// - a write (`list for-push`): POST /repos, `created <ns>/<repo>` on stderr if this push created
//   it, the answer's `remote` (the same origin check as any URL: target.ts), then the real
//   transport: the kept lines are replayed to it, its answers to them dropped (preamble.ts),
//   and from the deciding command on, main.ts's gate and relay run as in any session.
import { PassThrough } from 'node:stream';
import { deliverableSignal } from '../child-process.js';
import { ArtifactsError } from '../errors.js';
import { controlPlaneToken } from '../auth/api-token.js';
import { untilVisible } from '../controlplane/repos.js';
import { createOnPush } from '../credential/create-on-push.js';
import type { Io } from '../io.js';
import { remoteTool } from '../names.js';
import type { OperationFile } from '../operation-file.js';
import { say as sayLine } from '../report.js';
import { resolveSettings } from '../token/settings.js';
import type { Trace } from '../trace.js';
import { childEnv } from './child-env.js';
import { startChild, transportHint, type Pipes, type Transport } from './child.js';
import { classifyCommand } from './classify.js';
import { answerSkipper, skipPlan, splitPreamble } from './preamble.js';
import type { CommandGate } from './relay.js';
import { isUsableRemote, lookupOf, resolveRemote } from './resolve.js';
import type { Deferred, Target } from './target.js';

export interface DeferredInput {
  io: Io;
  trace: Trace;
  op: OperationFile;
  name: string;
  deferred: Deferred;
  /** Starts the real transport for target, on the given stand-ins for git's stdin and stdout. */
  launch: (target: Target, pipes: Pipes) => Transport;
}

/** RFC 2606: `.invalid` never resolves, so the stand-in could not reach anything even if it tried. */
const placeholder = 'https://artifacts.invalid/';

/** Creates the repo (or finds that a concurrent push did) and returns its remote URL. */
export async function createNamed(d: Deferred, io: Io, trace: Trace): Promise<string> {
  // The origin check runs before any answer is cached, so a refused remote is not remembered.
  const o = { ref: d.ref, settings: d.settings, env: io.env, now: io.now, trace, accepts: (remote: string) => void d.finish(remote) };
  const { cp, key, cache } = lookupOf(o);
  const deadline = io.now() + resolveSettings(new Map(), io.env).timeoutMs;
  const apiToken = await controlPlaneToken(cp, io.env, deadline, trace, io.now);
  const request = { apiToken, deadline, trace, now: io.now };
  const say = (message: string): void => sayLine(remoteTool, io.stderr, message);
  const outcome = await createOnPush({ cp, ref: d.ref, mode: 'create', notFound: d.notFound, request, say });
  if (outcome.remote !== undefined && isUsableRemote(outcome.remote)) {
    o.accepts(outcome.remote);
    cache.write(key, outcome.remote, io.now());
    return outcome.remote;
  }
  // It existed already (409; a concurrent push's create may still be under way, so its GET may
  // answer 404 for a moment), or the answer named no usable remote: GET says where it lives.
  return outcome.created ? resolveRemote(o) : untilVisible(() => resolveRemote(o), deadline, io.now);
}

/** The stand-in `git remote-https`: its stdout and stderr are git's, its stdin is ours to feed. */
interface StandIn {
  /** Its exit code, whenever it exits (also before git's first real command). */
  exited: Promise<number>;
  write(bytes: Buffer): void;
  /** Ends its input; resolves with its exit code once it has answered everything and exited. */
  end(): Promise<number>;
  kill(signal: NodeJS.Signals): void;
}

function startStandIn(input: DeferredInput): StandIn {
  const { io, op } = input;
  const extraPairs: [string, string][] = [['http.proxy', ''], [`http.${placeholder}.proxy`, '']];
  const origin = new URL(placeholder).origin;
  const env = standInEnv(childEnv({ env: io.env, operationFile: op.file, origin, helper: undefined, url: placeholder, extraPairs }));
  const { child, exited } = startChild({ scheme: 'https', name: input.name, url: placeholder, env, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
  exited.catch(() => undefined);
  child.stdin!.on('error', () => {}); // it may exit before reading everything; its exit code tells
  return {
    exited,
    write: (bytes) => void child.stdin!.write(bytes),
    end: () => {
      // A blank line is the end of the command stream (gitremote-helpers(7)): git remote-https
      // then exits 0; at a bare EOF it exits 1.
      child.stdin!.end('\n');
      return exited;
    },
    kill: (signal) => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill(deliverableSignal(signal));
    },
  };
}

/**
 * The stand-in makes no request, so it needs no proxy and may never ask for anything: a proxy
 * URL with a user name (HTTPS_PROXY, http.proxy) would make git's http_init() ask for its
 * password for a placeholder (remote-curl.c → http.c init_curl_proxy_auth()). An empty
 * http.proxy turns proxying off and keeps git from reading the proxy variables (http.c); an
 * empty GIT_ASKPASS and GIT_TERMINAL_PROMPT=0 leave it no way to prompt (prompt.c git_prompt()).
 * The empty http.proxy pairs go in through childEnv (startStandIn); this takes out the rest.
 */
function standInEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '' };
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) delete out[name];
  return out;
}

interface Session {
  input: DeferredInput;
  settle: { resolve: (code: number) => void; reject: (e: unknown) => void };
  /** The child signals go to: the stand-in, then the real transport. */
  current: { kill(signal: NodeJS.Signals): void } | undefined;
  /** A signal that came while no child could take it (during the create). */
  signalled: NodeJS.Signals | undefined;
}

export function deferredTransport(input: DeferredInput): Transport {
  const s: Session = { input, settle: { resolve: () => {}, reject: () => {} }, current: undefined, signalled: undefined };
  const exited = new Promise<number>((resolve, reject) => (s.settle = { resolve, reject }));
  return {
    exited,
    kill: (signal) => {
      s.signalled = signal;
      s.current?.kill(signal);
    },
    relay: (gate, onError) => relayDeferred(s, gate, onError),
  };
}

/**
 * Ends the session with an error. git waits for our answer to its command and keeps its end
 * open: let go of ours, or this process would wait for git as git waits for it.
 */
function failSession(s: Session, e: unknown): void {
  s.input.io.stdin.destroy();
  s.settle.reject(e);
}

/** The stand-in answers the preamble; the deciding command goes to decide(). Returns a function that stops reading. */
function relayDeferred(s: Session, gate: CommandGate, onError: (e: unknown) => void): () => void {
  const { io, trace } = s.input;
  const standIn = (s.current = startStandIn(s.input));
  trace('deferred.stand-in', { command: 'git remote-https', url: placeholder, why: "the repo does not exist yet; git's first command decides" });
  const kept: Buffer[] = [];
  const lines: string[] = [];
  let handedOver = false; // once git's first real command (or its end) is seen, decide() owns the stand-in
  let pending: Buffer = Buffer.alloc(0);
  let stopReal: (() => void) | undefined;
  const detach = (): void => {
    io.stdin.off('data', onData);
    io.stdin.off('end', onEnd);
    io.stdin.pause();
  };
  const fail = (e: unknown): void => failSession(s, e);
  const onData = (chunk: Buffer | string): void => {
    const split = splitPreamble(Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]));
    pending = split.pending;
    lines.push(...split.lines);
    kept.push(split.preamble);
    if (split.preamble.length) standIn.write(split.preamble);
    if (!split.decided) return;
    handedOver = true;
    detach();
    const replay = { held: Buffer.concat([...kept, split.decided.held]), lines };
    decide(s, split.decided.line, standIn, replay, gate, onError).then((stop) => (stopReal = stop), fail);
  };
  // git ended the session without a real command: so does the stand-in.
  const onEnd = (): void => {
    handedOver = true;
    detach();
    standIn.end().then(s.settle.resolve, s.settle.reject);
  };
  onEarlyExit(standIn, () => handedOver, (e) => (detach(), fail(e)));
  io.stdin.on('data', onData);
  io.stdin.once('end', onEnd);
  return () => {
    detach();
    stopReal?.();
  };
}

/**
 * A stand-in that exits before git's first real command (it could not start, or was killed)
 * leaves git waiting for an answer and us for git's next line: end the session, saying why.
 */
function onEarlyExit(standIn: StandIn, handedOver: () => boolean, fail: (e: unknown) => void): void {
  standIn.exited.then(
    (code) => {
      if (handedOver()) return;
      fail(new ArtifactsError('process.failed', `git remote-https exited with ${code} while answering git's first lines`, { hint: transportHint }));
    },
    (e: unknown) => {
      if (!handedOver()) fail(e);
    },
  );
}

/** What the real transport is fed first: every line git sent so far, and the preamble lines among them. */
type Replay = { held: Buffer; lines: string[] };

/** At git's first real command: the not-found error for a read; for a write, create and hand over to the real transport. */
async function decide(s: Session, line: string, standIn: StandIn, replay: Replay, gate: CommandGate, onError: (e: unknown) => void): Promise<() => void> {
  const { io, trace, deferred } = s.input;
  // Its last answer reaches git before anything of the real transport's.
  const code = await standIn.end();
  const scope = classifyCommand(line);
  trace('deferred.decide', { command: line.slice(0, 80), scope: scope ?? 'unknown', standIn: code });
  if (s.signalled) throw interrupted(s.signalled);
  if (code !== 0) throw new ArtifactsError('process.failed', `git remote-https exited with ${code} while answering git's first lines`, { hint: transportHint });
  // A fetch, clone or ls-remote never creates anything.
  if (scope !== 'write') throw deferred.notFound;
  const target = deferred.finish(await createNamed(deferred, io, trace));
  if (s.signalled) throw interrupted(s.signalled);
  const stdin = new PassThrough();
  const transport = s.input.launch(target, { stdin, stdout: answerSkipper(skipPlan(replay.lines), io.stdout) });
  s.current = transport;
  transport.exited.then(s.settle.resolve, s.settle.reject);
  const stop = transport.relay(gate, onError);
  // git has had the answers to these; the real transport needs the lines all the same.
  stdin.write(replay.held);
  io.stdin.pipe(stdin);
  return () => {
    stop();
    io.stdin.unpipe(stdin);
  };
}

function interrupted(signal: NodeJS.Signals): ArtifactsError {
  return new ArtifactsError('interrupted', `interrupted (${signal}) before the push started`);
}
