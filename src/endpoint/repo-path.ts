// The repo a git path names: `git/<namespace>/<repo>(.git)` on hosts of the account-scoped
// API, `<namespace>/<repo>(.git)` on those of the namespace-scoped one
// (docs/git-and-artifacts-behaviour.md, "Git remote URLs" and "Names").
// Names are validated with the documented patterns so nothing odd reaches a REST URL.

export interface RepoRef {
  namespace: string;
  repo: string;
}

/**
 * The documented name patterns (docs/git-and-artifacts-behaviour.md, "Names"); the emulator
 * enforces the same.
 */
export const namespacePattern = /^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9._])?$/;
export const repoPattern = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export function isNamespaceName(name: string): boolean {
  return name.length >= 2 && name.length <= 63 && namespacePattern.test(name) && !name.includes('..');
}

export function isRepoName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && repoPattern.test(name) && !name.includes('..');
}

/**
 * Parses git's `path` attribute for an endpoint of the given shape; undefined when it is not
 * an Artifacts repo path there. Each shape takes its own form only: `git/ns/repo` on a
 * namespace-scoped host would be the repo `ns` of namespace `git`, which nobody meant.
 */
export function parseRepoPath(path: string, shape: 'account' | 'namespace'): RepoRef | undefined {
  const parts = path.replace(/\/+$/, '').split('/');
  if (shape === 'account' ? parts.length !== 3 || parts[0] !== 'git' : parts.length !== 2) return undefined;
  const namespace = parts[parts.length - 2]!;
  let repo = parts[parts.length - 1]!;
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  if (!isNamespaceName(namespace) || !isRepoName(repo)) return undefined;
  return { namespace, repo };
}
