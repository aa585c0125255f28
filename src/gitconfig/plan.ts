// What configure writes for an endpoint (pure). For each host we own: an empty
// credential.<url>.helper first, so keychains and other helpers never serve or store our
// short-lived tokens (helpers accumulate and an empty value resets the list:
// https://git-scm.com/docs/gitcredentials), then our helper, then useHttpPath so git sends
// the repo path, then http.<url>.proactiveAuth so newer gits ask the helper before the first
// request. With an account (or a custom endpoint): pushes of plain https remotes go through git-remote-artifacts,
// which knows they are pushes, and the artifacts transport is allowed for submodules
// (protocol.<name>.allow: https://git-scm.com/docs/git-config#Documentation/git-config.txt-protocolnameallow).
import { cloudflareApiUrl, cloudflareGitOrigin, credentialUrl, type Endpoint } from '../endpoint/endpoint.js';
import { ArtifactsError } from '../errors.js';
import type { Entry } from './block.js';
import { helperCommand } from './helper-command.js';
import { helperMarker } from '../names.js';

export interface PlanInput {
  endpoint: Endpoint;
  /** Account for push routing and artifacts:// URLs (Cloudflare: optional; custom: its own). */
  account: string | undefined;
  /** How to run this tool: [node, script] or [single executable]. */
  self: readonly string[];
  /** Extra helper flags (--read-ttl …) to bake into the helper command. */
  settingArgs: readonly string[];
}

export function blockId(endpoint: Endpoint, account: string | undefined): string {
  const url = credentialUrl(endpoint);
  return endpoint.kind === 'cloudflare' && account ? `${url} account ${account}` : url;
}

/**
 * Whether a block (by its id) is for the same hosts as endpoint, whatever account it names:
 * one block per set of hosts, so `configure` then `configure --account X` rewrites the first
 * block instead of appending a second one that would own the same hosts again.
 */
export function sameHosts(endpoint: Endpoint): (id: string) => boolean {
  const url = credentialUrl(endpoint);
  return (id) => id === url || id.startsWith(`${url} account `);
}

/**
 * A section header's inside, `name "subsection"`: git-config(1) ("Syntax") allows any
 * character in a subsection but newline and NUL, with `"` and `\` escaped. Endpoint
 * validation keeps both out of hosts already; escaping here keeps a header a header anyway.
 * https://git-scm.com/docs/git-config#_syntax
 */
export function subsection(name: string, sub: string): string {
  if (/[\n\r\0]/.test(sub)) throw new ArtifactsError('internal', `cannot write the section ${name} ${JSON.stringify(sub)}: it holds a line break`);
  return `${name} "${sub.replace(/[\\"]/g, '\\$&')}"`;
}

/** Refuses an install path git could not run us from (a line break cannot be in a gitconfig line). */
function checkSelf(self: readonly string[]): void {
  for (const part of self) {
    if (/[\n\r\0]/.test(part)) {
      const why = 'whose path holds a line break, which a gitconfig value cannot hold';
      throw new ArtifactsError('input.invalid', `this tool runs from ${JSON.stringify(part)}, ${why}`, {
        hint: 'install git-credential-artifacts (and Node) under a directory whose path has no line breaks, then run configure from there',
      });
    }
  }
}

/** The git remote base URL for push routing, e.g. https://<account>.artifacts.cloudflare.net/ */
export function gitBase(endpoint: Endpoint, account: string | undefined): string | undefined {
  if (endpoint.kind === 'custom') return `${endpoint.protocol}://${endpoint.host}/`;
  return account ? `${cloudflareGitOrigin(account)}/` : undefined;
}

/** The helper flags that tell it its endpoint (also used by git-remote-artifacts' injection). */
export function endpointArgs(endpoint: Endpoint): string[] {
  if (endpoint.kind === 'custom') {
    const base = ['--git-url', credentialUrl(endpoint), '--api-url', endpoint.apiUrl];
    // A namespace-scoped API names no account (its shape is in the URL: endpoint.ts).
    return endpoint.shape === 'namespace' ? base : [...base, '--account', endpoint.account!];
  }
  return endpoint.apiUrl === cloudflareApiUrl ? [] : ['--api-url', endpoint.apiUrl];
}

export function planEntries(input: PlanInput): Entry[] {
  const { endpoint, account } = input;
  checkSelf(input.self);
  const url = credentialUrl(endpoint);
  const args = endpointArgs(endpoint);
  const section = subsection('credential', url);
  const entries: Entry[] = [
    { section, key: 'helper', value: '' },
    { section, key: 'helper', value: helperCommand(input.self, [...args, ...input.settingArgs]) },
    { section, key: 'useHttpPath', value: 'true' },
  ];
  // git >= 2.46 fills credentials before its first request to these hosts instead of after
  // a 401, saving a round trip per connection; older gits ignore the key. `basic` because
  // our helper answers a username and password (no authtype): http.proactiveAuth in
  // https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpproactiveAuth and
  // "send request with authentication material without first getting a 401" in
  // https://github.com/git/git/blob/master/Documentation/RelNotes/2.46.0.txt
  // The same URL as the credential section: http.<url> matches `*` in a host label too.
  // Routed pushes are safe: git-remote-artifacts turns it off for its own child
  // (src/remote/child-env.ts), because git-remote-http would fill at start-up, before the
  // wrapper has seen `list for-push`, and a push would get a read token.
  entries.push({ section: subsection('http', url), key: 'proactiveAuth', value: 'basic' });
  const base = gitBase(endpoint, account);
  if (base) {
    entries.push(
      { section: subsection('url', `artifacts::${base}`), key: 'pushInsteadOf', value: base },
      { section: 'protocol "artifacts"', key: 'allow', value: 'always' },
    );
    // artifacts://<ns>/<repo> resolves through this API; a namespace-scoped one needs no account.
    const acct = account ?? endpoint.account;
    if (acct !== undefined) entries.push({ section: 'artifacts', key: 'account', value: acct });
    entries.push({ section: 'artifacts', key: 'apiUrl', value: endpoint.apiUrl });
  }
  return entries;
}

/**
 * Whether a line inside one of our blocks is one configure writes (any version, any install
 * path): unconfigure removes these and keeps anything a user or git added in between.
 */
export function isOurLine(section: string, line: string): boolean {
  const m = /^\t(\w+) =(?: (.*))?$/.exec(line);
  if (!m) return false;
  const [, key, value = ''] = m;
  if (section.startsWith('credential ')) {
    return (key === 'helper' && (value === '' || value.includes(helperMarker))) || (key === 'useHttpPath' && value === 'true');
  }
  if (section.startsWith('http ')) return key === 'proactiveAuth' && value === 'basic';
  if (section.startsWith('url "artifacts::')) return key === 'pushInsteadOf';
  if (section === 'protocol "artifacts"') return key === 'allow' && value === 'always';
  if (section === 'artifacts') return key === 'account' || key === 'apiUrl';
  return false;
}
