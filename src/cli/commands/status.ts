// `status [--json]`: for each endpoint we know of (configured, signed in to, or holding cached
// tokens), the API-token source a mint would use now, by name, and each cached repo token:
// namespace, repo, scope, id, expiry and seconds left. Never a secret: no token, API token or
// part of one is in any output (tokens are known by id only).
import { describeApiTokenSource } from '../../auth/api-token.js';
import { loginsIndexProblem, readLogins, type LoginRow } from '../../store/logins.js';
import { say } from '../../report.js';
import { credentialTool } from '../../names.js';
import type { Deps } from '../deps.js';
import { configuredEndpoints, loginTarget } from '../endpoint-target.js';
import { isExpired, type CacheEntry } from '../revoke-tokens.js';

export interface StatusOptions {
  json?: boolean;
  askWrangler?: boolean;
}

export interface TokenStatus {
  namespace: string;
  repo: string;
  scope: string;
  id: string | null;
  expires_at: string | null;
  seconds_left: number | null;
  origin: string;
}

export interface EndpointStatus {
  api_url: string;
  account: string | null;
  source: string;
  /** Which credentials this API may take (auth/credential-origin.ts), and why, in words. */
  rule: string;
  rule_says: string;
  login: { account: string | null; store: string } | null;
  tokens: TokenStatus[];
}

// Tokens listed by repo, then scope.
const tokenOrder = (t: TokenStatus) => `${t.namespace}/${t.repo} ${t.scope}`;

function endpointKey(apiUrl: string, account: string | undefined): string {
  return `${apiUrl}\n${account ?? ''}`;
}

export async function status(o: StatusOptions, deps: Deps): Promise<number> {
  const { io } = deps;
  const rows = readLogins(io.env);
  // Named, with its fix: read as "no logins", a damaged index would just hide them.
  const damaged = loginsIndexProblem(io.env);
  if (damaged) {
    say(credentialTool, io.stderr, `warning: ${damaged.message}`);
    say(credentialTool, io.stderr, `hint: ${damaged.hint}`);
  }
  const entries = deps.cache.list();
  // The endpoints: the configured one, every login's, every cached token's.
  const seen = new Map<string, { apiUrl: string; account: string | undefined }>();
  const add = (apiUrl: string, account: string | undefined): void => {
    if (!seen.has(endpointKey(apiUrl, account))) seen.set(endpointKey(apiUrl, account), { apiUrl, account });
  };
  for (const c of await configuredEndpoints(deps)) add(c.apiUrl, c.account);
  for (const r of rows) if (r.account !== undefined) add(r.apiUrl, r.account);
  for (const e of entries) add(e.key.apiUrl, e.key.account || undefined);
  // A login for every account shows under the endpoints it serves; on its own only if none is listed.
  for (const r of rows) if (r.account === undefined && ![...seen.values()].some((s) => s.apiUrl === r.apiUrl)) add(r.apiUrl, undefined);
  if (seen.size === 0) {
    const fallback = await loginTarget({}, deps);
    add(fallback.apiUrl, fallback.account);
  }

  const report: EndpointStatus[] = [];
  for (const { apiUrl, account } of seen.values()) {
    const source = await describeApiTokenSource(io.env, { apiUrl, account }, { askWrangler: o.askWrangler, now: deps.now });
    const mine = entries.filter((e) => e.key.apiUrl === apiUrl && (e.key.account || undefined) === account);
    report.push({
      api_url: apiUrl,
      account: account ?? null,
      source: source.source,
      rule: source.rule,
      rule_says: source.because,
      login: source.login ? loginJson(source.login) : null,
      tokens: mine.map((e) => tokenJson(e, deps.now())).sort((a, b) => tokenOrder(a).localeCompare(tokenOrder(b))),
    });
  }
  if (o.json) io.stdout.write(`${JSON.stringify({ endpoints: report }, null, 2)}\n`);
  else io.stdout.write(text(report));
  return 0;
}

function loginJson(row: LoginRow): EndpointStatus['login'] {
  return { account: row.account ?? null, store: row.store };
}

function tokenJson(e: CacheEntry, now: number): TokenStatus {
  const { key, token } = e;
  const left = token.expiresAt === undefined ? null : Math.max(0, Math.floor(token.expiresAt - now / 1000));
  return {
    namespace: key.namespace,
    repo: key.repo,
    scope: key.scope,
    id: token.id ?? null,
    expires_at: token.expiresAt === undefined ? null : new Date(token.expiresAt * 1000).toISOString(),
    seconds_left: isExpired(token, now) ? 0 : left,
    origin: key.origin,
  };
}

function text(report: EndpointStatus[]): string {
  const lines: string[] = [];
  for (const ep of report) {
    lines.push(`${ep.api_url}${ep.account ? ` (account ${ep.account})` : ''}`);
    const via = ep.login && ep.login.account === null && ep.account ? ' (the login for every account on this API URL)' : '';
    lines.push(`  API token for minting: ${ep.source}${via}`);
    lines.push(`    (${ep.rule_says})`);
    if (ep.tokens.length === 0) lines.push('  cached repo tokens: none');
    else {
      lines.push('  cached repo tokens:');
      for (const t of ep.tokens) {
        const life =
          t.expires_at === null ? 'no expiry given' : t.seconds_left === 0 ? `expired ${t.expires_at}` : `expires ${t.expires_at} (${t.seconds_left} s left)`;
        lines.push(`    ${t.namespace}/${t.repo}  ${t.scope}  ${t.id ?? '(no id)'}  ${life}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
