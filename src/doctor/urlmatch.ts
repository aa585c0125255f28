// git's URL matching for `<section>.<url>.<key>` config (http.<url>.*, credential.<url>.*), as
// git-config(1) describes it (https://git-scm.com/docs/git-config#Documentation/git-config.txt-httplturlgt)
// and urlmatch.c implements it (https://github.com/git/git/blob/master/urlmatch.c):
//   scheme: must be equal; host: equal ignoring case, where a `*` label in the pattern matches
//   exactly one label of the URL; port: equal once defaults (80, 443) are filled in; path: the
//   pattern's path is a prefix of the URL's at a `/` boundary; user: if the pattern names one,
//   it must be equal. A pattern git cannot normalise matches nothing. Pure: parses hostile text.

export interface ParsedUrl {
  scheme: string;
  user: string | undefined;
  host: string;
  port: string;
  /** Normalised: starts with `/`, no `.`/`..` segments. */
  path: string;
}

const defaultPorts: Record<string, string> = { http: '80', https: '443', ftp: '21', ftps: '990' };

export function parseUrl(text: string): ParsedUrl | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?(\[[0-9A-Fa-f:.]+\]|[^/:?#@[\]]*)(?::(\d*))?([^?#]*)(?:[?#].*)?$/s.exec(text);
  if (!m) return undefined;
  const [, scheme, userinfo, host, port, rawPath] = m as unknown as [string, string, string | undefined, string, string | undefined, string];
  if (host === '' || /[\s\0]/.test(host)) return undefined;
  if (rawPath !== '' && !rawPath.startsWith('/')) return undefined;
  const s = scheme.toLowerCase();
  const user = userinfo === undefined ? undefined : userinfo.split(':')[0];
  const effectivePort = port === undefined || port === '' ? (defaultPorts[s] ?? '') : String(Number(port));
  return { scheme: s, user, host: host.toLowerCase(), port: effectivePort, path: normalisePath(rawPath) };
}

function normalisePath(p: string): string {
  const out: string[] = [];
  const segments = p.split('/').slice(1);
  for (const [i, seg] of segments.entries()) {
    if (seg === '.') {
      if (i === segments.length - 1) out.push('');
      continue;
    }
    if (seg === '..') {
      out.pop();
      if (i === segments.length - 1) out.push('');
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.split('.');
  const h = host.split('.');
  return p.length === h.length && p.every((label, i) => label === '*' || label === h[i]);
}

/** urlmatch.c url_match_prefix: `/a` matches `/a` and `/a/…`, not `/ab`; `/` matches all. */
function pathMatches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether the config URL `pattern` applies to `url` (both as written in config and remotes). */
export function urlMatches(pattern: string, url: string): boolean {
  const p = parseUrl(pattern);
  const u = parseUrl(url);
  if (!p || !u) return false;
  return (
    p.scheme === u.scheme &&
    (p.user === undefined || p.user === u.user) &&
    hostMatches(p.host, u.host) &&
    p.port === u.port &&
    pathMatches(p.path, u.path)
  );
}
