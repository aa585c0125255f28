// Which hosts we answer for, and where to mint for them. Matching is exact: the Cloudflare
// host pattern is anchored at both ends, custom endpoints compare protocol and host:port as
// strings (docs/credential-flow.md, "Host ownership"; docs/git-and-artifacts-behaviour.md,
// "Attacks we defend against": no substring host checks).
import { ArtifactsError } from '../errors.js';

export const cloudflareApiUrl = 'https://api.cloudflare.com/client/v4';
export const cloudflareCredentialUrl = 'https://*.artifacts.cloudflare.net';
const cloudflareHost = /^([0-9a-f]{32})\.artifacts\.cloudflare\.net$/;

/** The account of a Cloudflare Artifacts git host (`host` as git sends it: with a port, no match). */
export function cloudflareGitAccount(host: string): string | undefined {
  return cloudflareHost.exec(host.toLowerCase())?.[1];
}

export interface Endpoint {
  /** 'cloudflare' for the public service; 'custom' for one registered with configure. */
  kind: 'cloudflare' | 'custom';
  /** Control-plane base, e.g. https://api.cloudflare.com/client/v4 (no trailing slash). */
  apiUrl: string;
  /** For custom endpoints: protocol and host[:port] the git remote lives on. */
  protocol?: string;
  host?: string;
  /** For custom endpoints the account is fixed; Cloudflare takes it from the host. */
  account?: string;
}

export interface OwnedHost {
  endpoint: Endpoint;
  account: string;
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
    } else if (protocol === endpoint.protocol && lowerHost === endpoint.host && endpoint.account) {
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
    throw new ArtifactsError('config.invalid', `${flag} ${JSON.stringify(raw)} holds ${shown}: a URL here has no quote, backslash, whitespace or control character`, {
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
    throw new ArtifactsError('config.invalid', `${flag} ${JSON.stringify(raw)}: the host ${JSON.stringify(h)} is not a plain DNS name, IPv4 address or [IPv6] address`, {
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

/** A custom git endpoint: an origin (scheme, host, port) and nothing else. */
export function customEndpoint(gitUrl: string, apiUrl: string, account: string | undefined): Endpoint {
  const url = parseHostUrl('--git-url', gitUrl);
  const protocol = url.protocol.slice(0, -1);
  if (protocol !== 'https' && !(protocol === 'http' && isLoopbackHost(url.hostname))) {
    throw badEndpoint(`--git-url must be https (http only for loopback hosts), got ${JSON.stringify(gitUrl)}`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw badEndpoint(`--git-url must be just scheme://host[:port], got ${JSON.stringify(gitUrl)}`);
  }
  if (!account || !accountPattern.test(account)) {
    throw badEndpoint('a custom endpoint needs --account ID (letters, digits, _ and -)');
  }
  return { kind: 'custom', apiUrl: parseApiUrl(apiUrl), protocol, host: url.host.toLowerCase(), account };
}

export function cloudflareEndpoint(apiUrl = cloudflareApiUrl): Endpoint {
  return { kind: 'cloudflare', apiUrl: parseApiUrl(apiUrl) };
}

/** The URL git config keys use for this endpoint (credential.<url>.*, url.<base>.*). */
export function credentialUrl(endpoint: Endpoint): string {
  return endpoint.kind === 'cloudflare' ? cloudflareCredentialUrl : `${endpoint.protocol}://${endpoint.host}`;
}

export function isCloudflareAccount(account: string): boolean {
  return /^[0-9a-f]{32}$/.test(account);
}
