// A REST request's path: split into percent-decoded segments, and matched against a route's
// pattern (":x" binds one segment, a last "*x" the rest, one or more).
import { invalid } from './envelope.js';

export function match(pattern: string[], segments: string[]): Record<string, string> | null {
  const rest = pattern[pattern.length - 1]?.startsWith('*') === true;
  if (rest ? segments.length < pattern.length : pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const s = segments[i] ?? '';
    if (p.startsWith('*')) params[p.slice(1)] = segments.slice(i).join('/');
    else if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}

/** Segments of a raw path, percent-decoded one by one (so %2F stays inside a segment). */
export function pathSegments(rawPath: string): string[] {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // tolerate one trailing slash
  return parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      throw invalid('the request path is not valid percent-encoding');
    }
  });
}
