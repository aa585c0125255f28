// git-remote-artifacts: git runs `git remote-artifacts <remote> <url>` (gitremote-helpers(7))
// for artifacts://<ns>/<repo> and artifacts::<url> remotes. We find the https remote, start
// git's own `git remote-https` on it, tell our credential helper whether this session fetches
// or pushes (operation file: docs/credential-flow.md, "What the wrapper does"), and get out of
// the way: the child's exit code is ours.
import type { EventEmitter } from 'node:events';
import type { Io } from '../io.js';
import { ArtifactsError } from '../errors.js';
import { report } from '../report.js';
import { makeTrace, type Trace } from '../trace.js';
import { childEnv } from './child-env.js';
import { startChild } from './child.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import { credentialHelperSelf, injectedHelper, originPolicy } from './credential-helper.js';
import { readArtifactsConfig, remoteSettings } from './git-config.js';
import { OperationFile } from '../operation-file.js';
import { CommandGate, pumpCommands } from './relay.js';
import { parseRemoteUrl } from './url.js';
import { remoteTool, version } from '../names.js';

export const tool = remoteTool;
const forwardedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Target {
  name: string;
  url: string;
  scheme: 'https' | 'http';
  origin: string;
  injection: { origin: string; helper: string } | undefined;
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
    const target = await prepare(io, trace);
    op = new OperationFile(io.env);
    return await run(io, trace, target, op, signals);
  } catch (e) {
    return report(tool, e, io.stderr);
  } finally {
    op?.remove();
  }
}

async function prepare(io: Io, trace: Trace): Promise<Target> {
  const [name, given, ...extra] = io.argv;
  if (name === undefined || extra.length > 0) {
    throw new ArtifactsError('usage', 'git-remote-artifacts is started by git, as `git-remote-artifacts <remote> <url>`', {
      hint: 'use it through git: `git clone artifacts://<namespace>/<repo>` or `git push artifacts::https://…`',
    });
  }
  const parsed = parseRemoteUrl(given ?? name);
  const { trusted: config, untrusted } = await readArtifactsConfig(io.env, io.cwd);
  const settings = remoteSettings(io.env, config);
  if (untrusted.length) throw reroutedByRepo(untrusted);
  trace('start', { remote: name, url: given ?? name, account: settings.account?.source, apiUrl: settings.apiUrl.value });
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
  // Decided before the child starts, so no HTTP request goes to a refused origin.
  const policy = originPolicy(direct.origin, settings, config);
  trace('origin', { origin: direct.origin, policy: policy.kind });
  if (policy.kind === 'refused') throw policy.error;
  const target = { name, url: direct.url, scheme: direct.scheme, origin: direct.origin };
  if (policy.kind === 'configured') {
    // configure's helper, given to the child again after a reset: config pairs are read after
    // the repository's own config, so a repo-local credential.helper (which git would hand
    // our write token on `store`) is cleared for this origin.
    trace('inject.configured', { origin: direct.origin, why: 'configured in git config; repo-local helpers reset' });
    return { ...target, injection: { origin: direct.origin, helper: policy.helper } };
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
  return { origin, helper: injectedHelper(self, endpoint) };
}

async function run(io: Io, trace: Trace, target: Target, op: OperationFile, signals: EventEmitter | undefined): Promise<number> {
  const env = childEnv({ env: io.env, operationFile: op.file, origin: target.origin, helper: target.injection?.helper });
  trace('child', { command: `git remote-${target.scheme}`, url: target.url });
  const { child, exited } = startChild({ ...target, env, cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
  let failure: unknown;
  const gate = new CommandGate((scope, command) => {
    trace('classify', { command: command.slice(0, 80), scope: scope ?? 'unknown' });
    if (!scope) return; // nothing recorded: the credential helper falls back to read
    op.record(scope);
    trace('operation.write', { file: op.file, scope });
  });
  const stop = pumpCommands(io.stdin, child.stdin!, gate, (e) => {
    failure = e;
    child.kill('SIGTERM');
  });
  const forward = (signal: NodeJS.Signals): void => {
    trace('signal', { signal });
    child.kill(signal);
  };
  for (const s of forwardedSignals) signals?.on(s, forward);
  try {
    const code = await exited;
    trace('exit', { code });
    if (failure) throw failure;
    return code;
  } finally {
    for (const s of forwardedSignals) signals?.off(s, forward);
    stop();
  }
}
