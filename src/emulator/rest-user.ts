// The two routes above the Artifacts API that Cloudflare's own clients call, so `login` (and
// wrangler's error path) work against the emulator: `GET /client/v4/user/tokens/verify`
// (https://developers.cloudflare.com/api/resources/user/subresources/tokens/methods/verify/)
// and `GET /client/v4/accounts` (https://developers.cloudflare.com/api/resources/accounts/methods/list/).
import { createHash } from 'node:crypto';
import type { EmulatorContext, Reply } from './context.js';
import { RestError } from './envelope.js';

/** Cloudflare's code for a token that does not verify (not the Artifacts API's 10000). */
export const invalidApiTokenCode = 1000;

export interface UserRoute {
  name: 'verify' | 'accounts';
  handler: (emu: EmulatorContext) => Reply;
}

/** The route for segments after /client/v4, or undefined when it is none of these. */
export function userRoute(method: string, rest: string[]): UserRoute | undefined {
  if (method !== 'GET') return undefined;
  if (rest.join('/') === 'user/tokens/verify') return { name: 'verify', handler: verify };
  if (rest.length === 1 && rest[0] === 'accounts') return { name: 'accounts', handler: accounts };
  return undefined;
}

/** A stable id for the emulator's API token: its hash, never the token. */
function tokenId(emu: EmulatorContext): string {
  return createHash('sha256').update(`api-token:${emu.apiToken}`).digest('hex').slice(0, 32);
}

function verify(emu: EmulatorContext): Reply {
  return { status: 200, result: { id: tokenId(emu), status: 'active' } };
}

/**
 * The one account. The emulator takes any account id in its paths, so this id is only what a
 * client that lists accounts (wrangler) gets to see.
 */
function accounts(): Reply {
  return {
    status: 200,
    result: [{ id: 'emulator', name: 'Artifacts emulator (any account id works in paths)', type: 'standard' }],
    resultInfo: { page: 1, per_page: 20, total_pages: 1, count: 1, total_count: 1 },
  };
}

/** The 401 Cloudflare answers a verify with a missing or unknown token. */
export function invalidToken(): RestError {
  return new RestError(401, invalidApiTokenCode, 'Invalid API Token');
}
