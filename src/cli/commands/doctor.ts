// `doctor [--json] [<remote-or-url>]`: why git says "Authentication failed" or prompts, and
// what to run, in the spirit of Git Credential Manager's `diagnose`
// (https://github.com/git-ecosystem/git-credential-manager/blob/main/docs/usage.md#diagnose).
// The work is in src/doctor/: gather the facts through Deps (gather.ts), judge them with the
// pure checks, probe the API (probe.ts, repo-probe.ts), render the answer (render.ts). Exit 0
// when nothing fails (warnings included), 1 otherwise; --json prints one JSON document whatever happens.
import type { Check } from '../../doctor/check.js';
import { collectChecks } from '../../doctor/collect.js';
import { crashCheck, render } from '../../doctor/render.js';
import type { Deps } from '../deps.js';

export interface DoctorOptions {
  json?: boolean;
}

export async function doctor(o: DoctorOptions, target: string | undefined, deps: Deps): Promise<number> {
  let checks: Check[];
  try {
    checks = await collectChecks({ ...deps, namedRemote: (url) => namedRemote(deps, url) }, target);
  } catch (e) {
    checks = [crashCheck(e)];
  }
  const { text, code } = render(checks, o);
  deps.io.stdout.write(text);
  return code;
}

/**
 * The https remote an `artifacts://<namespace>/<repo>` URL names, found as git-remote-artifacts
 * finds it (its trusted config, its cache, else the API). Any other URL as is.
 */
async function namedRemote(deps: Deps, url: string): Promise<string> {
  if (!/^artifacts:\/\//i.test(url)) return url;
  const { parseRemoteUrl } = await import('../../remote/url.js');
  const parsed = parseRemoteUrl(url);
  if (parsed.kind !== 'named') return url;
  const { readArtifactsConfig, remoteSettings } = await import('../../remote/git-config.js');
  const { resolveRemote } = await import('../../remote/resolve.js');
  const { trusted } = await readArtifactsConfig(deps.io.env, deps.io.cwd);
  const remote = await resolveRemote({ ref: parsed, settings: remoteSettings(deps.io.env, trusted), env: deps.io.env, now: deps.now, trace: () => {} });
  return parseRemoteUrl(remote).kind === 'direct' ? remote : url;
}
