// The repo a git path names: `git/<namespace>/<repo>(.git)` (docs/git-and-artifacts-behaviour.md,
// "Git remote URLs" and "Names").
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

/** Parses git's `path` attribute; undefined when it is not an Artifacts repo path. */
export function parseRepoPath(path: string): RepoRef | undefined {
  const parts = path.replace(/\/+$/, '').split('/');
  if (parts.length !== 3 || parts[0] !== 'git') return undefined;
  const namespace = parts[1]!;
  let repo = parts[2]!;
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  if (!isNamespaceName(namespace) || !isRepoName(repo)) return undefined;
  return { namespace, repo };
}
