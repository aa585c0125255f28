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

/** The rules in words, for every refusal of a name (a user must learn what is allowed, not just "invalid"). */
export const namespaceRule = 'a namespace is 2 to 63 ASCII letters, digits, ".", "_" or "-", starting with a letter or digit, not ending in "-", without ".."';
export const repoRule = 'a repo name is 1 to 255 ASCII letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."';

/** What is wrong with a `<namespace>/<repo>` pair, with the rule; undefined when both are valid. */
export function repoRefProblem(namespace: string, repo: string): string | undefined {
  if (!isNamespaceName(namespace)) return `invalid namespace ${quoteName(namespace)}: ${namespaceRule}`;
  if (!isRepoName(repo)) return `invalid repo name ${quoteName(repo)}: ${repoRule}`;
  return undefined;
}

/** A name as a message shows it: JSON-quoted, and cut after 64 characters (the rule says the length). */
export function quoteName(name: string): string {
  const shown = JSON.stringify([...name].length > 64 ? `${[...name].slice(0, 64).join('')}…` : name);
  return [...name].length > 64 ? `${shown} (${[...name].length} characters)` : shown;
}

/**
 * Parses git's `path` attribute for an endpoint of the given shape; undefined when it is not
 * an Artifacts repo path there. Each shape takes its own form only: `git/ns/repo` on a
 * namespace-scoped host would be the repo `ns` of namespace `git`, which nobody meant.
 */
/** Why a path of the right shape names no repo (the rule it breaks); undefined when the shape is wrong or it is fine. */
export function repoPathProblem(path: string, shape: 'account' | 'namespace'): string | undefined {
  const parts = path.replace(/\/+$/, '').split('/');
  if (shape === 'account' ? parts.length !== 3 || parts[0] !== 'git' : parts.length !== 2) return undefined;
  const repo = parts[parts.length - 1]!;
  return repoRefProblem(parts[parts.length - 2]!, repo.endsWith('.git') ? repo.slice(0, -4) : repo);
}

export function parseRepoPath(path: string, shape: 'account' | 'namespace'): RepoRef | undefined {
  const parts = path.replace(/\/+$/, '').split('/');
  if (shape === 'account' ? parts.length !== 3 || parts[0] !== 'git' : parts.length !== 2) return undefined;
  const namespace = parts[parts.length - 2]!;
  let repo = parts[parts.length - 1]!;
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  if (!isNamespaceName(namespace) || !isRepoName(repo)) return undefined;
  return { namespace, repo };
}
