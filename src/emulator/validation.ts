// Name validation for the emulator, from the documented patterns and limits
// (docs/git-and-artifacts-behaviour.md, "Names" and "Limits").
// Pure: every check returns an error message or null, so routes pick the error code.

// Account ids carry no data (git URLs have no account), but malformed ones are refused; the
// namespace (2–63 characters) and repo patterns are the documented ones the client checks too.
import { accountPattern } from '../endpoint/endpoint.js';
import { namespacePattern, repoPattern } from '../endpoint/repo-path.js';

/**
 * The repo max is undocumented (docs/git-and-artifacts-behaviour.md, "Names"; the schema gives
 * only the pattern): the client's 255 (`isRepoName` in src/endpoint/repo-path.ts), which keeps
 * `<name>.git` within one 255-byte path segment.
 */
export const repoNameMax = 255;
/** Opaque ids (token ids, repo ids) as they may appear in a path. */
const idPattern = /^[0-9a-zA-Z_-]{1,64}$/;

export function accountError(account: string): string | null {
  return accountPattern.test(account) ? null : 'account id must match ^[A-Za-z0-9_-]{1,64}$';
}

export function namespaceError(ns: string): string | null {
  if (ns.length < 2 || ns.length > 63) return 'namespace must be 2 to 63 characters';
  return namespacePattern.test(ns)
    ? null
    : 'namespace must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';
}

export function repoNameError(name: string): string | null {
  if (name.length === 0) return 'repo name must not be empty';
  if (name.length > repoNameMax) return `repo name must be at most ${repoNameMax} characters`;
  if (!repoPattern.test(name)) {
    return 'repo name must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';
  }
  // ".git" endings make "<name>.git" URLs ambiguous; "..": no path tricks even where harmless.
  if (name.endsWith('.git') || name.includes('..')) return 'repo name must not contain ".." or end in ".git"';
  return null;
}

export function isOpaqueId(id: string): boolean {
  return idPattern.test(id);
}

/** `default_branch` and import `branch`: 1–256 characters (the schema's bounds). */
export const branchMax = 256;

/**
 * A branch name: the schema's pattern `^[a-zA-Z0-9][a-zA-Z0-9._/-]*$`, 1–256 characters, no
 * `..`, not ending in `/` or `.` (docs/emulator-api.md), plus what git check-ref-format refuses
 * of those (`//`, a part starting with `.`, a `.lock` ending), since git must create the branch.
 */
export function branchError(branch: string, field = 'default_branch'): string | null {
  return isRefName(branch, branchMax)
    ? null
    : `${field} must be 1 to ${branchMax} characters matching ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$, without "..", "//" or a ".lock" ending, not ending in "/" or "."`;
}

function isRefName(branch: string, max: number): boolean {
  return (
    branch.length > 0 &&
    branch.length <= max &&
    /^[a-zA-Z0-9][a-zA-Z0-9._/-]*$/.test(branch) &&
    !branch.endsWith('/') &&
    !branch.endsWith('.') &&
    !branch.endsWith('.lock') &&
    !branch.includes('..') &&
    !branch.includes('//') &&
    !branch.split('/').some((part) => part.startsWith('.'))
  );
}

/** A git object id as the content routes take it (the schema: `^[0-9a-f]{40}$`). */
export const objectIdPattern = /^[0-9a-f]{40}$/;

/**
 * A `ref` of the content routes: a 40-hex commit id or a branch, tag or full ref name under the
 * branch rules above (so `HEAD`, `main`, `v1.0`, `refs/tags/v1`). Nothing else reaches git:
 * no leading `-` (options), no `^ ~ : @ { }` revision syntax, no `..` ranges, no NUL.
 */
export function refError(ref: string): string | null {
  if (objectIdPattern.test(ref) || isRefName(ref, branchMax)) return null;
  return (
    `ref must be a 40-character lowercase commit hash or a branch/tag name of 1 to ${branchMax} characters ` +
    'matching ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$ (no "..", "//", ".lock" ending, trailing "/" or ".")'
  );
}

/** Longest file path the content routes take (git's own PATH_MAX-like bound on Linux). */
export const pathMax = 4096;

/**
 * A file path inside a repo: 1–4096 characters, `/`-separated non-empty parts, none `.` or
 * `..`, no NUL. The path is only ever compared with tree entry names (never given to git or the
 * file system), so any other byte is allowed, as git allows it in names.
 */
export function pathError(p: string): string | null {
  if (p.length === 0 || p.length > pathMax) return `path must be 1 to ${pathMax} characters`;
  if (p.includes('\0')) return 'path must not contain NUL';
  const parts = p.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    return 'path must be "/"-separated names, none empty, "." or ".." (no leading or trailing "/")';
  }
  return null;
}
