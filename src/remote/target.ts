// What git-remote-artifacts talks to, decided before git's transport gets any command
// (main.ts): the settings from trusted config, the https remote (artifacts:// resolved through
// the API), the origin policy and the credential helper the child gets. An artifacts:// repo
// the API does not know, with artifacts.createOnPush on, is not an error yet: it is `deferred`
// until git's first command says whether this session pushes (deferred-create.ts, issue 23).
import type { Io } from '../io.js';
import { ArtifactsError, isArtifactsError } from '../errors.js';
import type { Trace } from '../trace.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import type { RepoRef } from '../endpoint/repo-path.js';
import { parseHelperCommand } from '../gitconfig/helper-command.js';
import type { CreateMode } from '../operation-file.js';
import { credentialHelperSelf, injectedArgv, injectedHelper, originPolicy } from './credential-helper.js';
import { createMode, readArtifactsConfig, remoteSettings, type RemoteSettings } from './git-config.js';
import { parseRemoteUrl, type RemoteUrl } from './url.js';

export interface Target {
  kind: 'target';
  name: string;
  url: string;
  scheme: 'https' | 'http';
  origin: string;
  /** Whether a push may create a missing repo (git config artifacts.createOnPush; issue 23). */
  create: CreateMode;
  /** The helper the child gets for origin, and its argv when it is ours in configure's form. */
  injection: { origin: string; helper: string; argv: string[] | undefined } | undefined;
}

/** An artifacts:// repo the API does not know, which a push may create. */
export interface Deferred {
  kind: 'deferred';
  ref: RepoRef;
  /** The lookup's answer: what a fetch, clone or ls-remote reports. */
  notFound: ArtifactsError;
  settings: RemoteSettings;
  /** The target for the created repo's remote URL (the same origin check as any URL). */
  finish: (remote: string) => Target;
}

export interface Request {
  name: string;
  given: string;
  parsed: RemoteUrl;
}

export async function prepare(io: Io, trace: Trace, { name, given, parsed }: Request): Promise<Target | Deferred> {
  const { trusted: config, untrusted } = await readArtifactsConfig(io.env, io.cwd);
  const settings = remoteSettings(io.env, config);
  if (untrusted.length) throw reroutedByRepo(untrusted);
  trace('start', { remote: name, url: given, account: settings.account?.source, apiUrl: settings.apiUrl.value });
  const finish = (remote: string): Target => targetFor(name, parseRemoteUrl(remote), settings, config, trace);
  if (parsed.kind !== 'named') return targetFor(name, parsed, settings, config, trace);
  // artifacts://<ns>/<repo>: only the configured endpoint's API says where the repo lives,
  // and its answer passes the same origin check as any URL.
  const { resolveRemote } = await import('./resolve.js');
  try {
    return finish(await resolveRemote({ ref: parsed, settings, env: io.env, now: io.now, trace, accepts: (remote) => void finish(remote) }));
  } catch (e) {
    if (!isArtifactsError(e) || e.code !== 'api.not_found') throw e;
    const ref = { namespace: parsed.namespace, repo: parsed.repo };
    if (createMode(config) === 'create') return { kind: 'deferred', ref, notFound: e, settings, finish };
    throw new ArtifactsError(e.code, e.message, { hint: `${e.hint ?? ''}; a push does not create it: git config artifacts.createOnPush is false` });
  }
}

function targetFor(name: string, direct: RemoteUrl, settings: RemoteSettings, config: ReadonlyMap<string, string>, trace: Trace): Target {
  if (direct.kind !== 'direct') {
    throw new ArtifactsError('api.invalid_response', 'the API answered with an artifacts:// URL instead of a git remote');
  }
  // Decided before the child gets any command, so no HTTP request goes to a refused origin.
  const policy = originPolicy(direct.origin, settings, config);
  trace('origin', { origin: direct.origin, policy: policy.kind });
  if (policy.kind === 'refused') throw policy.error;
  const target = { kind: 'target' as const, name, url: direct.url, scheme: direct.scheme, origin: direct.origin, create: createMode(config) };
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
  const message = `refusing to send Artifacts credentials: this repository's own config sets ${key} (${scope} scope), ` +
    'which would route them through someone else';
  return new ArtifactsError('remote.unregistered', message, {
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
