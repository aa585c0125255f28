// From a parsed message to the question we answer: is this host ours, which repo, which scope.
// Pure: a host we own but cannot serve is reported as a decision, not thrown.
import { ArtifactsError } from '../errors.js';
import { ownerOf, type Endpoint, type OwnedHost } from '../endpoint/endpoint.js';
import { parseRepoPath, quoteName, repoPathProblem, type RepoRef } from '../endpoint/repo-path.js';
import type { CredentialMessage } from './protocol.js';

export type Decision =
  | { kind: 'not-ours'; why: string }
  | { kind: 'ours-unusable'; error: ArtifactsError }
  | { kind: 'ours'; owned: OwnedHost; ref: RepoRef; host: string; protocol: string };

export function decide(message: CredentialMessage, endpoints: readonly Endpoint[]): Decision {
  const protocol = message.fields.get('protocol');
  const host = message.fields.get('host');
  // A missing field never means "any" (CVE-2020-11008): no protocol or host, no answer.
  if (!protocol || !host) return { kind: 'not-ours', why: 'no protocol or host' };
  if (protocol !== 'https' && protocol !== 'http') return { kind: 'not-ours', why: `protocol ${protocol}` };
  const owned = ownerOf(protocol, host, endpoints);
  if (!owned) return { kind: 'not-ours', why: 'host not owned' };
  const path = message.fields.get('path');
  if (path === undefined || path === '') {
    const error = new ArtifactsError('config.invalid', `git sent no repository path for ${protocol}://${host}, so no repo token can be chosen`, {
      hint: `run \`git config --global credential.${protocol}://${owned.endpoint.kind === 'cloudflare' ? '*.artifacts.cloudflare.net' : host}.useHttpPath true\` (or \`git-credential-artifacts configure\` again)`,
    });
    return { kind: 'ours-unusable', error };
  }
  const ref = parseRepoPath(path, owned.endpoint.shape);
  if (!ref) {
    const looks = owned.endpoint.shape === 'namespace'
      ? `${protocol}://${host}/<namespace>/<repo>.git (its API is namespace-scoped)`
      : owned.endpoint.kind === 'cloudflare' ? 'https://<account>.artifacts.cloudflare.net/git/<namespace>/<repo>.git' : `${protocol}://${host}/git/<namespace>/<repo>.git`;
    // The rule it breaks, when the shape is right (an over-long or non-ASCII name: issue 21).
    const problem = repoPathProblem(path, owned.endpoint.shape);
    const error = new ArtifactsError('remote.invalid', `${quoteName(path)} on ${host} is not an Artifacts repo path${problem ? `: ${problem}` : ''}`, {
      hint: `Artifacts remotes here look like ${looks}; use the \`remote\` field the API returns`,
    });
    return { kind: 'ours-unusable', error };
  }
  return { kind: 'ours', owned, ref, host, protocol };
}
