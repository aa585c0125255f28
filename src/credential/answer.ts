// What we tell git (git-credential-protocol.md §2; artifacts-api.md §8.3): Basic `x` + secret
// for every git; Bearer + the full token only when git announced capability[]=authtype
// (git >= 2.46), marked ephemeral so storage helpers never keep it.
import type { CachedToken } from '../token/policy.js';

export type Lines = Array<[string, string]>;

export function answerLines(token: CachedToken, capabilities: readonly string[]): Lines {
  const expiry: Lines = token.expiresAt === undefined ? [] : [['password_expiry_utc', String(token.expiresAt)]];
  if (capabilities.includes('authtype')) {
    return [['capability[]', 'authtype'], ['authtype', 'Bearer'], ['credential', token.plaintext], ['ephemeral', '1'], ...expiry];
  }
  return [['username', 'x'], ['password', token.secret], ...expiry];
}

export const quitLines: Lines = [['quit', '1']];
