// Git-side token checks, answering exactly like the service (observed:
// docs/git-and-artifacts-behaviour.md, "Git-side 401 and 403"):
// 401 + `WWW-Authenticate: Basic realm="artifacts"` without usable credentials, 403
// `Invalid or expired token` for unknown/expired/revoked/other-repo tokens, 403
// `Insufficient permissions` for a read token on receive-pack. Expiry and revocation come
// from the server's record and clock, never from the `?expires=` suffix.
import type { RepoRecord, EmulatorState, TokenRecord } from './state.js';
import { hashSecret, parseAuthorization, secretOf } from './tokens.js';

export type GitService = 'upload-pack' | 'receive-pack';

export type GitAuth =
  | { ok: true; token: TokenRecord; form: 'basic' | 'bearer' }
  | { ok: false; status: 401 | 403; message: string; form: 'basic' | 'bearer' | null };

export const challenge = 'Basic realm="artifacts"';

function lookup(store: EmulatorState, presented: string): TokenRecord | undefined {
  return store.tokenByHash(hashSecret(secretOf(presented)));
}

/**
 * Decides a git request. `repo` is undefined when no such repo exists: the answer is then the
 * same as for a repo the token doesn't open, so probing reveals nothing about existence.
 */
export function authorizeGit(store: EmulatorState, header: string | undefined, repo: RepoRecord | undefined, service: GitService | null): GitAuth {
  const cred = parseAuthorization(header);
  if (cred.kind === 'none') return { ok: false, status: 401, message: 'Authentication required', form: null };
  if (cred.kind === 'malformed') return { ok: false, status: 401, message: 'Authentication required', form: cred.form };
  const { form } = cred;
  // A real token in the username slot (`<secret>:x`) is refused like the service does.
  if (cred.username !== undefined && lookup(store, cred.username)) {
    return { ok: false, status: 401, message: 'Authentication required', form };
  }
  const token = lookup(store, cred.token);
  if (!token || store.tokenState(token) !== 'active' || !repo || token.repo_id !== repo.id) {
    return { ok: false, status: 403, message: 'Invalid or expired token', form };
  }
  if (service === 'receive-pack' && token.scope !== 'write') {
    return { ok: false, status: 403, message: 'Insufficient permissions', form };
  }
  return { ok: true, token, form };
}
