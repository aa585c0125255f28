// What we tell git (docs/credential-flow.md, "The answer"; docs/git-and-artifacts-behaviour.md,
// "The authtype probe bug (git 2.46–2.53)"): Basic `x` + the secret, on every git, whatever
// capabilities it announces. Never `authtype=Bearer`: git 2.46-2.53 send the probe before a
// POST larger than http.postBuffer (1 MiB) without the authtype header (remote-curl.c
// probe_rpc(); fixed in git 2.54 by commit ed0f7a62f7), so a large push gets a 401, git
// erases the token and the push dies with "RPC failed; HTTP 401". curl attaches Basic to
// every request. Other helpers never store our tokens because configure resets the helper
// list for our hosts (`helper =`), not because of `ephemeral`.
import type { CachedToken } from '../token/policy.js';

export type Lines = Array<[string, string]>;

export function answerLines(token: CachedToken): Lines {
  const expiry: Lines = token.expiresAt === undefined ? [] : [['password_expiry_utc', String(token.expiresAt)]];
  return [['username', 'x'], ['password', token.secret], ...expiry];
}

export const quitLines: Lines = [['quit', '1']];
