// What git handed us as the remote URL (https://git-scm.com/docs/gitremote-helpers;
// docs/git-and-artifacts-behaviour.md, "Remote helpers"), parsed without any I/O:
// `artifacts://<namespace>/<repo>` names a repo whose https remote the API knows, and
// `artifacts::<url>` arrives as the bare <url>, used as is (https, or http on loopback only).
import { isLoopbackHost } from '../endpoint/endpoint.js';
import { repoRefProblem, type RepoRef } from '../endpoint/repo-path.js';
import { ArtifactsError } from '../errors.js';

export type RemoteUrl = ({ kind: 'named' } & RepoRef) | { kind: 'direct'; url: string; scheme: 'https' | 'http'; origin: string };

const scheme = 'artifacts://';

function invalid(raw: string, why: string): ArtifactsError {
  // An over-long URL is cut: one line of what is wrong, not a screen of the name.
  const shown = [...raw].length > 120 ? `${[...raw].slice(0, 120).join('')}…` : raw;
  return new ArtifactsError('remote.invalid', `remote URL "${shown}" ${why}`, {
    hint: 'use artifacts://<namespace>/<repo>, or artifacts::<the repo\'s remote>, e.g. artifacts::https://<account>.artifacts.cloudflare.net/git/<namespace>/<repo>.git',
  });
}

/** Control characters never belong in a URL; they would smuggle lines into git's protocols. */
function hasControl(text: string): boolean {
  return /[\u0000-\u001f\u007f\u2028\u2029]/.test(text);
}

export function parseRemoteUrl(raw: string): RemoteUrl {
  if (hasControl(raw)) throw invalid(JSON.stringify(raw).slice(1, -1), 'contains control characters');
  if (raw.toLowerCase().startsWith(scheme)) return parseNamed(raw);
  return parseDirect(raw);
}

function parseNamed(raw: string): RemoteUrl {
  const rest = raw.slice(scheme.length).replace(/\/+$/, '');
  if (/[?#@]/.test(rest)) throw invalid(raw, 'must not carry a user name, query or fragment');
  const parts = rest.split('/');
  if (parts.length !== 2) throw invalid(raw, 'must be artifacts://<namespace>/<repo>');
  const namespace = parts[0]!;
  const repo = parts[1]!.endsWith('.git') ? parts[1]!.slice(0, -4) : parts[1]!;
  const problem = repoRefProblem(namespace, repo);
  if (problem) throw invalid(raw, `has an ${problem}`);
  return { kind: 'named', namespace, repo };
}

function parseDirect(raw: string): RemoteUrl {
  // WHATWG URL parsing reads `\` as `/` while git and curl do not: `<origin>\@evil/` is
  // <origin> to new URL() and user `<origin>\` at host evil to curl. Refuse it outright, and
  // check that git's own view of the authority (up to the first / ? #) is the host we saw.
  if (raw.includes('\\')) throw invalid(raw, 'must not contain a backslash');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(raw, 'is not a URL');
  }
  const authority = (/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '').toLowerCase();
  const defaultPort = url.protocol === 'https:' ? ':443' : ':80';
  const asGitSees = authority.endsWith(defaultPort) ? authority.slice(0, -defaultPort.length) : authority;
  if (asGitSees !== url.host && !url.username && !url.password) {
    throw invalid(raw, `names its host ambiguously (${JSON.stringify(authority)})`);
  }
  const s = url.protocol.slice(0, -1);
  if (s !== 'https' && !(s === 'http' && isLoopbackHost(url.hostname))) {
    throw invalid(raw, 'must be https (http only for loopback hosts)');
  }
  // Credentials in a URL leak into argv, traces and every helper's `store`
  // (docs/git-and-artifacts-behaviour.md, "Attacks we defend against"); a bare user name makes
  // libcurl answer the 401 itself, so our helper is never asked (same file, "What a credential
  // helper never sees").
  if (url.username || url.password) throw invalid(raw.replace(/\/\/[^/]*@/, '//…@'), 'must not carry a user name or password');
  if (url.search || url.hash) throw invalid(raw, 'must not carry a query or fragment');
  return { kind: 'direct', url: raw, scheme: s, origin: `${s}://${url.host.toLowerCase()}` };
}
