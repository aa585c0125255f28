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
import { nodeTransport, type Transport } from './child.js';
import { bunRuntime, bunTransport } from './bun-transport.js';
import { cloudflareGitAccount, isLoopbackHost, type Endpoint } from '../endpoint/endpoint.js';
import { credentialHelperSelf, injectedArgv, injectedHelper, originPolicy } from './credential-helper.js';
import { parseHelperCommand } from '../gitconfig/helper-command.js';
import { SessionHelper } from './session-helper.js';
import { createMode, readArtifactsConfig, remoteSettings } from './git-config.js';
import { OperationFile, type CreateMode } from '../operation-file.js';
import { CommandGate } from './relay.js';
import { parseRemoteUrl, type RemoteUrl } from './url.js';
import { remoteTool, version } from '../names.js';
import { deliverableSignal } from '../child-process.js';

export const tool = remoteTool;
// SIGQUIT too: our cleanup (the answer file, the session dir) must run whatever stops git.
const forwardedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

interface Target {
  name: string;
  url: string;
  scheme: 'https' | 'http';
  origin: string;
  /** Whether a push may create a missing repo (git config artifacts.createOnPush; issue 23). */
  create: CreateMode;
  /** The helper the child gets for origin, and its argv when it is ours in configure's form. */
  injection: { origin: string; helper: string; argv: string[] | undefined } | undefined;
}

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

interface Request {
  name: string;
  given: string;
  parsed: RemoteUrl;
}

/** A transport child and the helper files it was started with. */
interface Started {
  transport: Transport;
  session: SessionHelper | undefined;
}

/**
 * Starts git's transport for url. session: our helper in charge of the origin, answered
 * through its files; undefined: no helper of ours (git's own config decides).
 */
function startTransport(io: Io, trace: Trace, op: OperationFile, name: string, direct: DirectUrl, withHelper: boolean): Started {
  const session = withHelper ? new SessionHelper({ url: direct.url, origin: direct.origin, dir: op.dir, env: io.env, now: io.now, trace }) : undefined;
  const env = childEnv({ env: io.env, operationFile: op.file, origin: direct.origin, helper: session?.helper, url: direct.url });
  const options = { scheme: direct.scheme, name, url: direct.url, env, cwd: io.cwd };
  // Our own process's stdin and stdout under Bun (the single executable): Bun's APIs, which
  // start faster than its Node streams (bun-transport.ts); otherwise, and in-process, Node's.
  const bun = io.fds ? bunRuntime() : undefined;
  const transport = bun ? bunTransport(bun, options) : nodeTransport({ ...options, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr });
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
function abort(started: Started | undefined): void {
  started?.transport.kill('SIGKILL');
}

async function run(io: Io, trace: Trace, request: Request, op: OperationFile, signals: EventEmitter | undefined): Promise<number> {
  // A remote URL known from the start (artifacts::<url>, how configure routes every push) gets
  // its transport at once, with our helper, while we read config: git's own start-up then
  // overlaps ours (README.md, "Speed"). The child sends no HTTP request before its first
  // command, and it gets none, not even `capabilities`, until the origin policy allows it; a
  // refused origin's child is killed with nothing sent.
  const early = request.parsed.kind === 'direct' && startsEarly(request.parsed.origin) ? startTransport(io, trace, op, request.name, request.parsed, true) : undefined;
  let target: Target;
  try {
    target = await prepare(io, trace, request);
  } catch (e) {
    abort(early);
    throw e;
  }
  let started = early;
  if (started && !target.injection) {
    // No helper of ours for this origin after all: start it again without one.
    abort(started);
    started = undefined;
  }
  started ??= startTransport(io, trace, op, request.name, target, target.injection !== undefined);
  const { transport, session } = started;
  if (target.injection) session!.useHelper(target.injection.helper, target.injection.argv);
  trace('child', { command: `git remote-${target.scheme}`, url: target.url, early: started === early });
  let failure: unknown;
  const gate = new CommandGate(
    (scope, command) => {
      trace('classify', { command: command.slice(0, 80), scope: scope ?? 'unknown' });
      if (!scope) return; // nothing recorded: the credential helper falls back to read
      session?.prepare(scope);
      op.record(scope, target.create);
      trace('operation.write', { file: op.file, scope });
    },
    () => session?.drop(),
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
  for (const s of forwardedSignals) signals?.on(s, forward);
  try {
    const code = await transport.exited;
    trace('exit', { code });
    session?.finished(code);
    if (failure) throw failure;
    return code;
  } finally {
    session?.drop();
    for (const s of forwardedSignals) signals?.off(s, forward);
    stop();
  }
}

async function prepare(io: Io, trace: Trace, { name, given, parsed }: Request): Promise<Target> {
  const { trusted: config, untrusted } = await readArtifactsConfig(io.env, io.cwd);
  const settings = remoteSettings(io.env, config);
  if (untrusted.length) throw reroutedByRepo(untrusted);
  trace('start', { remote: name, url: given, account: settings.account?.source, apiUrl: settings.apiUrl.value });
  let direct = parsed;
  if (parsed.kind === 'named') {
    // artifacts://<ns>/<repo>: only the configured endpoint's API says where the repo lives,
    // and its answer passes the same origin check as any URL.
    const { resolveRemote } = await import('./resolve.js');
    direct = parseRemoteUrl(await resolveRemote({ ref: parsed, settings, env: io.env, now: io.now, trace }));
  }
  if (direct.kind !== 'direct') {
    throw new ArtifactsError('api.invalid_response', 'the API answered with an artifacts:// URL instead of a git remote');
  }
  // Decided before the child gets any command, so no HTTP request goes to a refused origin.
  const policy = originPolicy(direct.origin, settings, config);
  trace('origin', { origin: direct.origin, policy: policy.kind });
  if (policy.kind === 'refused') throw policy.error;
  const target = { name, url: direct.url, scheme: direct.scheme, origin: direct.origin, create: createMode(config) };
  if (policy.kind === 'configured') {
    // configure's helper, given to the child again after a reset: config pairs are read after
    // the repository's own config, so a repo-local credential.helper (which git would hand
    // our write token on `store`) is cleared for this origin.
    trace('inject.configured', { origin: direct.origin, why: 'configured in git config; repo-local helpers reset' });
    return { ...target, injection: { origin: direct.origin, helper: policy.helper, argv: parseHelperCommand(policy.helper) } };
  }
  return { ...target, injection: injection(direct.origin, policy.endpoint, trace) };
}

function reroutedByRepo(keys: string[]): ArtifactsError {
  const [scope, key] = keys[0]!.split(' ');
  return new ArtifactsError('remote.unregistered', `refusing to send Artifacts credentials: this repository's own config sets ${key} (${scope} scope), which would route them through someone else`, {
    hint: `if you set it yourself, move it to your global config; otherwise remove it: git config --${scope} --unset-all ${key}`,
  });
}

/** Our credential helper for a Cloudflare origin, injected into the child so no `configure` is needed. */
function injection(origin: string, endpoint: Endpoint, trace: Trace): Target['injection'] {
  const self = credentialHelperSelf();
  if (!self) {
    trace('inject.skipped', { origin, why: 'git-credential-artifacts not found beside this program' });
    return undefined;
  }
  trace('inject', { origin, endpoint: endpoint.kind, apiUrl: endpoint.apiUrl });
  return { origin, helper: injectedHelper(self, endpoint), argv: injectedArgv(self, endpoint) };
}
