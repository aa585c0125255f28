// Which API URL and account a login-related command is about: the flags, else what
// `configure` wrote (artifacts.apiUrl, artifacts.account), else Cloudflare's API.
import { cloudflareApiUrl } from '../endpoint/endpoint.js';
import { storeKey, type StoreKey } from '../store/token-store.js';
import type { Deps } from './deps.js';

export interface TargetFlags {
  apiUrl?: string;
  account?: string;
}

/**
 * The configured account applies only to the API URL it was configured with: a login for
 * another API URL (--api-url) without --account serves every account there.
 */
export async function loginTarget(o: TargetFlags, deps: Pick<Deps, 'git'>): Promise<StoreKey & { from: 'flags' | 'configure' | 'default' }> {
  const configuredApi = await deps.git.globalConfig('artifacts.apiUrl');
  const configuredAccount = await deps.git.globalConfig('artifacts.account');
  const apiUrl = o.apiUrl ?? configuredApi ?? cloudflareApiUrl;
  const sameApi = storeKey(apiUrl).apiUrl === storeKey(configuredApi ?? cloudflareApiUrl).apiUrl;
  const account = o.account ?? (sameApi && configuredApi !== undefined ? configuredAccount : undefined);
  const from = o.apiUrl !== undefined || o.account !== undefined ? 'flags' : configuredApi !== undefined ? 'configure' : 'default';
  return { ...storeKey(apiUrl, account || undefined), from };
}
