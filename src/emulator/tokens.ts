// Repo-token codec and git Authorization parsing (docs/git-and-artifacts-behaviour.md,
// "Repo tokens"). Pure.
import { createHash, randomBytes, randomInt } from 'node:crypto';

export const defaultTokenPrefix = 'art_v1_';
const expiresMarker = '?expires=';
/**
 * The tolerant recogniser (docs/git-and-artifacts-behaviour.md, "Repo tokens"): any art_vN_
 * prefix, 40 hex, optional suffix.
 */
const tokenLike = /^art_v\d+_(?:[a-z0-9]+_)*[0-9a-f]{40}(\?expires=\d+)?$/;

/**
 * 16 characters of [0-9a-z]: the schema's token id pattern (docs/git-and-artifacts-behaviour.md,
 * "Names").
 */
export function newTokenId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let id = '';
  for (let i = 0; i < 16; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** The secret half of a new token: prefix + 40 hex. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(20).toString('hex');
}

export function formatPlaintext(secret: string, expiresAtMs: number): string {
  return `${secret}${expiresMarker}${Math.floor(expiresAtMs / 1000)}`;
}

/** The secret of a token: everything before the FIRST `?expires=` (never parse the prefix). */
export function secretOf(token: string): string {
  const at = token.indexOf(expiresMarker);
  return at === -1 ? token : token.slice(0, at);
}

/** What the store keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return tokenLike.test(value) || tokenLike.test(secretOf(value));
}

export type Credential =
  | { kind: 'none' }
  /** Present but unusable: answered 401 `Authentication required` like the real service. */
  | { kind: 'malformed'; form: 'basic' | 'bearer' | null }
  /** `username` is kept (Basic only) so auth can refuse a known token in that slot. */
  | { kind: 'token'; form: 'basic' | 'bearer'; token: string; username?: string };

function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Reads a git request's Authorization header. Basic takes any non-empty username and the
 * secret or full token (git sends URL userinfo decoded; we also tolerate still-encoded) as the
 * password; a token in the username slot is refused (observed:
 * docs/git-and-artifacts-behaviour.md, "Repo tokens"). Bearer takes the full token or the secret.
 */
export function parseAuthorization(header: string | undefined): Credential {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const match = /^\s*(\S+)\s+(.*?)\s*$/.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2] ?? '';
  if (scheme === 'bearer') {
    return value === '' || /\s/.test(value) ? { kind: 'malformed', form: 'bearer' } : { kind: 'token', form: 'bearer', token: value };
  }
  if (scheme !== 'basic') return { kind: 'malformed', form: null };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed', form: 'basic' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { kind: 'malformed', form: 'basic' };
  const username = percentDecode(decoded.slice(0, colon));
  const password = percentDecode(decoded.slice(colon + 1));
  if (username === '' || password === '' || looksLikeToken(username)) return { kind: 'malformed', form: 'basic' };
  return { kind: 'token', form: 'basic', token: password, username };
}
