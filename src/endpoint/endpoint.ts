// Which hosts we answer for, and where to mint for them. Matching is exact: the Cloudflare
// host pattern is anchored at both ends, custom endpoints compare protocol and host:port as
// strings (docs/credential-flow.md, "Host ownership"; docs/git-and-artifacts-behaviour.md,
// "Attacks we defend against": no substring host checks).
import { apiShape, type ApiShape } from './api-shape.js';
import { ArtifactsError } from '../errors.js';

export const cloudflareApiUrl = 'https://api.cloudflare.com/client/v4';
export const cloudflareCredentialUrl = 'https://*.artifacts.cloudflare.net';
const cloudflareHost = /^([0-9a-f]{32})\.artifacts\.cloudflare\.net$/;

/** An account's git origin on Cloudflare, e.g. https://<account>.artifacts.cloudflare.net (no trailing slash). */
export function cloudflareGitOrigin(account: string): string {
  return `https://${account}.artifacts.cloudflare.net`;
}

/** The account of a Cloudflare Artifacts git host (`host` as git sends it: with a port, no match). */
export function cloudflareGitAccount(host: string): string | undefined {
  return cloudflareHost.exec(host.toLowerCase())?.[1];
}

export interface Endpoint {
  /** 'cloudflare' for the public service; 'custom' for one registered with configure. */
  kind: 'cloudflare' | 'custom';
  /** Control-plane base, e.g. https://api.cloudflare.com/client/v4 (no trailing slash). */
  apiUrl: string;
  /**
   * What apiUrl says (routes.ts, apiShape): 'account' (`…/client/v4`: routes under an account,
   * a Cloudflare API token, remotes `git/<ns>/<repo>`) or 'namespace' (`…/v1/api`: routes under
   * the namespace, a gateway JWT, remotes `<ns>/<repo>`). Cloudflare's own hosts are 'account'.
   */
  shape: ApiShape;
  /** For custom endpoints: protocol and host[:port] the git remote lives on. */
  protocol?: string;
  host?: string;
  /** For account-scoped custom endpoints the account is fixed; Cloudflare takes it from the host; namespace-scoped ones have none. */
  account?: string;
}

export interface OwnedHost {
  endpoint: Endpoint;
  /** undefined for a namespace-scoped endpoint. */
  account: string | undefined;
}

/** Account ids we accept for custom endpoints; the emulator accepts the same. */
export const accountPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Splits "host:port" (or "[v6]:port") into hostname and port; the port may be absent. */
export function splitHostPort(host: string): { hostname: string; port: string | undefined } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m) return { hostname: host, port: undefined };
  return { hostname: m[1]!, port: m[2] };
}

export function ownerOf(protocol: string, host: string, endpoints: readonly Endpoint[]): OwnedHost | undefined {
  const lowerHost = host.toLowerCase();
  for (const endpoint of endpoints) {
    if (endpoint.kind === 'cloudflare') {
      const account = protocol === 'https' ? cloudflareGitAccount(lowerHost) : undefined;
      if (account) return { endpoint, account };
    } else if (protocol === endpoint.protocol && lowerHost === endpoint.host && (endpoint.account || endpoint.shape === 'namespace')) {
      return { endpoint, account: endpoint.account };
    }
  }
  return undefined;
}

function badEndpoint(message: string): ArtifactsError {
  return new ArtifactsError('config.invalid', message, {
    hint: 'run `git-credential-artifacts configure --git-url http://127.0.0.1:PORT --api-url http://127.0.0.1:PORT/client/v4 --account ID` again',
  });
}

/** White space as JavaScript's \s knows it, beyond ASCII. */
const wideSpaces = new Set([0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);

/**
 * The first control character, white space, `"` or `\` in text, if any. A loop, not a
 * Unicode regex: this runs on every credential `get` (the helper's --git-url and --api-url),
 * and compiling a /u regex with \s costs more there than the rest of the check.
 */
function oddChar(text: string): string | undefined {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x22 || c === 0x5c || (c >= 0x2000 && c <= 0x200a) || wideSpaces.has(c)) return ch;
  }
  return undefined;
}

/**
 * Parses a --git-url or --api-url value, refusing anything whose host is not a plain DNS name
 * (letters, digits, "-", "." once IDNA has mapped it), an IPv4 address or a bracketed IPv6
 * address, with an optional port. The host ends up in gitconfig section headers
 * (`[credential "https://host"]`), where a `"` or `\` would end or escape the subsection and
 * a line break would start new config (https://git-scm.com/docs/git-config#_syntax), and in
 * the helper's exact host matching. The raw text is checked too: the URL parser drops tabs
 * and newlines and reads `\` as `/`, so it would quietly accept another URL than the one given.
 */
export function parseHostUrl(flag: '--git-url' | '--api-url', raw: string): URL {
  const example = flag === '--git-url' ? 'https://git.example.com or http://127.0.0.1:8787' : 'https://api.example.com/client/v4 or http://127.0.0.1:8787/client/v4';
  const ch = oddChar(raw);
  if (ch !== undefined) {
    const shown = /^[!-~]$/.test(ch) ? `'${ch}'` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const why = 'a URL here has no quote, backslash, whitespace or control character';
    throw new ArtifactsError('config.invalid', `${flag} ${JSON.stringify(raw)} holds ${shown}: ${why}`, {
      hint: `give the URL alone, e.g. ${example}`,
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badEndpoint(`${flag} ${JSON.stringify(raw)} is not a URL`);
  }
  const h = url.hostname; // lower-cased, punycoded, IPv4 in dotted decimal, [IPv6] checked
  const dns = h.length <= 253 && h.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
  const v6 = /^\[[0-9a-f:.]+\]$/.test(h);
  if (!dns && !v6) {
    const why = 'is not a plain DNS name, IPv4 address or [IPv6] address';
    throw new ArtifactsError('config.invalid', `${flag} ${JSON.stringify(raw)}: the host ${JSON.stringify(h)} ${why}`, {
      hint: `use a host of letters, digits, "-" and "." (or an IP address, IPv6 in brackets), optionally with :PORT, e.g. ${example}`,
    });
  }
  return url;
}

/** Normalises an API base URL: http(s), no query, no trailing slash; http only on loopback. */
export function parseApiUrl(raw: string): string {
  const url = parseHostUrl('--api-url', raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw badEndpoint(`--api-url must be https (http only for loopback hosts), got ${JSON.stringify(raw)}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw badEndpoint('--api-url must not carry credentials, a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * A custom git endpoint: an origin (scheme, host, port) and nothing else, with its API. An
 * account-scoped API needs the account its paths name; a namespace-scoped one has none, and
 * an --account given with it is refused rather than ignored.
 */
export function customEndpoint(gitUrl: string, apiUrl: string, account: string | undefined): Endpoint {
  const url = parseHostUrl('--git-url', gitUrl);
  const protocol = url.protocol.slice(0, -1);
  if (protocol !== 'https' && !(protocol === 'http' && isLoopbackHost(url.hostname))) {
    throw badEndpoint(`--git-url must be https (http only for loopback hosts), got ${JSON.stringify(gitUrl)}`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw badEndpoint(`--git-url must be just scheme://host[:port], got ${JSON.stringify(gitUrl)}`);
  }
  const api = parseApiUrl(apiUrl);
  const host = url.host.toLowerCase();
  if (apiShape(api) === 'namespace') {
    if (account !== undefined) {
      const why = `its routes name no account, so --account ${JSON.stringify(account)} has no place`;
      throw new ArtifactsError('config.invalid', `--api-url ${api} is namespace-scoped (…/v1/api): ${why}`, {
        hint: `drop --account: configure --git-url ${protocol}://${host} --api-url ${api}`,
      });
    }
    return { kind: 'custom', apiUrl: api, shape: 'namespace', protocol, host };
  }
  if (!account || !accountPattern.test(account)) {
    throw badEndpoint('a custom endpoint with an account-scoped API (…/client/v4) needs --account ID (letters, digits, _ and -)');
  }
  return { kind: 'custom', apiUrl: api, shape: 'account', protocol, host, account };
}

export function cloudflareEndpoint(apiUrl = cloudflareApiUrl): Endpoint {
  const api = parseApiUrl(apiUrl);
  if (apiShape(api) === 'namespace') {
    // Cloudflare's per-account hosts go with the account-scoped API; a namespace-scoped one has
    // its own git host (https://artifacts.cloudflare.net/<ns>/<repo>.git in its era).
    throw new ArtifactsError('config.invalid', `--api-url ${api} is namespace-scoped (…/v1/api), which does not serve the https://<ACCOUNT_ID>.artifacts.cloudflare.net git hosts`, {
      hint: `name its git host: configure --git-url ${new URL(api).origin} --api-url ${api}`,
    });
  }
  return { kind: 'cloudflare', apiUrl: api, shape: 'account' };
}

export interface EndpointFlags {
  gitUrl?: string | undefined;
  apiUrl?: string | undefined;
  account?: string | undefined;
}

/** Git URLs that mean Cloudflare's own hosts, whose host carries the account. */
const cloudflareGitUrl = /^https:\/\/(\*|[0-9a-f]{32})\.artifacts\.cloudflare\.net\/?$/i;

/**
 * The one rule from --git-url / --api-url / --account to an endpoint, for `configure` and for
 * the helper's own arguments (which configure wrote):
 * - --git-url of Cloudflare's hosts, or neither URL: Cloudflare (account from the host; the
 *   --account returned is configure's, for push routing);
 * - --git-url: that origin, with --api-url (required) and, for an account-scoped API, --account;
 * - --api-url alone: namespace-scoped, its git host is the API's origin (as
 *   https://artifacts.cloudflare.net/v1/api serves https://artifacts.cloudflare.net/<ns>/<repo>.git);
 *   account-scoped, Cloudflare's hosts with that API.
 */
export function endpointFromFlags(flags: EndpointFlags): { endpoint: Endpoint; account: string | undefined } {
  const { gitUrl, apiUrl, account } = flags;
  if (gitUrl !== undefined) {
    if (apiUrl === undefined) {
      throw new ArtifactsError('usage', '--git-url needs --api-url as well (--git-url and --api-url go together)', {
        hint: 'e.g. --git-url http://127.0.0.1:8787 --api-url http://127.0.0.1:8787/client/v4 --account ID, or --api-url http://127.0.0.1:8787/v1/api for a namespace-scoped API',
      });
    }
    if (cloudflareGitUrl.test(gitUrl)) return { endpoint: cloudflareEndpoint(apiUrl), account };
    const endpoint = customEndpoint(gitUrl, apiUrl, account);
    return { endpoint, account: endpoint.account };
  }
  if (apiUrl !== undefined && apiShape(parseApiUrl(apiUrl)) === 'namespace') {
    const endpoint = customEndpoint(new URL(parseApiUrl(apiUrl)).origin, apiUrl, account);
    return { endpoint, account: undefined };
  }
  return { endpoint: cloudflareEndpoint(apiUrl), account };
}

/** The URL git config keys use for this endpoint (credential.<url>.*, url.<base>.*). */
export function credentialUrl(endpoint: Endpoint): string {
  return endpoint.kind === 'cloudflare' ? cloudflareCredentialUrl : `${endpoint.protocol}://${endpoint.host}`;
}

export function isCloudflareAccount(account: string): boolean {
  return /^[0-9a-f]{32}$/.test(account);
}
