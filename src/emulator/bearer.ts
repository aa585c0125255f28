// Which of the emulator's two REST credentials a request's Authorization header carries: the
// API token (/client/v4 and the test aids) or the gateway JWT (/v1/api, /edge/v1/api). Compared
// in constant time, over hashes so lengths do not show either.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from './context.js';
import type { Credential } from './request-log.js';

function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

function secretEquals(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function apiTokenMatches(header: string | undefined, apiToken: string): boolean {
  const bearer = bearerOf(header);
  return bearer !== undefined && secretEquals(bearer, apiToken);
}

/** Which of the emulator's credentials an Authorization header carries (for the check and the log). */
export function presented(emu: Pick<EmulatorContext, 'apiToken' | 'jwt'>, header: string | undefined): Credential {
  if (header === undefined || header === '') return 'none';
  const bearer = bearerOf(header);
  if (bearer === undefined) return 'other';
  if (secretEquals(bearer, emu.apiToken)) return 'api-token';
  if (secretEquals(bearer, emu.jwt)) return 'jwt';
  return 'other';
}
