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
  // The last one configured wins, as with `git config --get`.
  const configuredApi = (await deps.git.globalConfig('artifacts.apiUrl')).at(-1);
  const configuredAccount = (await deps.git.globalConfig('artifacts.account')).at(-1);
  const apiUrl = o.apiUrl ?? configuredApi ?? cloudflareApiUrl;
  const sameApi = storeKey(apiUrl).apiUrl === storeKey(configuredApi ?? cloudflareApiUrl).apiUrl;
  const account = o.account ?? (sameApi && configuredApi !== undefined ? configuredAccount : undefined);
  const from = o.apiUrl !== undefined || o.account !== undefined ? 'flags' : configuredApi !== undefined ? 'configure' : 'default';
  return { ...storeKey(apiUrl, account || undefined), from };
}

/**
 * Every endpoint configure set up for push routing: it writes artifacts.account and
 * artifacts.apiUrl together, once per endpoint (gitconfig/plan.ts), so the n-th of each pair up.
 * Values that are not a valid API URL or account are left out.
 */
export async function configuredEndpoints(deps: Pick<Deps, 'git'>): Promise<StoreKey[]> {
  const apis = await deps.git.globalConfig('artifacts.apiUrl');
  const accounts = await deps.git.globalConfig('artifacts.account');
  const out: StoreKey[] = [];
  for (const [i, api] of apis.entries()) {
    try {
      out.push(storeKey(api, accounts[i] || undefined));
    } catch {
      // Not something configure wrote; doctor reports such values.
    }
  }
  return out;
}
