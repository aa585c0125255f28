// A repo token as the API hands it out: `<secret>?expires=<unix>`. We never look at the
// prefix (art_v1_, art_v2_e_, ...: docs/git-and-artifacts-behaviour.md, "Repo tokens"); we
// split on the first `?expires=`.

export interface RepoToken {
  /** The full plaintext, `?expires=` included: what Bearer sends (git >= 2.46 authtype). */
  plaintext: string;
  /** The part before `?expires=`: what Basic sends as the password. */
  secret: string;
  /** Unix seconds, from the server: the suffix, else `expires_at`. Undefined if neither. */
  expiresAt: number | undefined;
}

const marker = '?expires=';

export function parseToken(plaintext: string, expiresAtIso?: unknown): RepoToken {
  const at = plaintext.indexOf(marker);
  const secret = at === -1 ? plaintext : plaintext.slice(0, at);
  let expiresAt: number | undefined;
  if (at !== -1) {
    const suffix = plaintext.slice(at + marker.length);
    if (/^\d{1,12}$/.test(suffix)) expiresAt = Number(suffix);
  }
  if (expiresAt === undefined && typeof expiresAtIso === 'string') {
    const ms = Date.parse(expiresAtIso);
    if (Number.isFinite(ms)) expiresAt = Math.floor(ms / 1000);
  }
  return { plaintext, secret, expiresAt };
}
