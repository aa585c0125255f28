// Query parsing and the two pagination styles of the v4 envelope
// (docs/git-and-artifacts-behaviour.md, "Envelope and pagination"): cursor (repo and
// namespace lists) and offset (token lists). Pure.
import type { CursorInfo, OffsetInfo } from './envelope.js';
import { invalid } from './envelope.js';

/** An integer query parameter in [min, max], or the default when absent. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(`${name} must be an integer between ${min} and ${max}`);
  }
  return Number(raw);
}

/** One of a fixed set of values, or the default when absent. */
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw invalid(`${name} must be one of: ${allowed.join(', ')}`);
  return raw as T;
}

/** Opaque cursors: base64url of the offset into the sorted list. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^o:(\d{1,9})$/.exec(text);
  if (!m) throw invalid('cursor is not one this server returned');
  return Number(m[1]);
}

/** A page of `items` after `cursor`; result_info.cursor is "" on the last page. */
export function cursorPage<T>(items: T[], cursor: string | null, limit: number): { page: T[]; info: CursorInfo } {
  const offset = decodeCursor(cursor);
  const page = items.slice(offset, offset + limit);
  const next = offset + page.length;
  return { page, info: { cursor: next < items.length ? encodeCursor(next) : '', per_page: limit, count: page.length } };
}

export function offsetPage<T>(items: T[], page: number, perPage: number): { page: T[]; info: OffsetInfo } {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    page: slice,
    info: {
      page,
      per_page: perPage,
      total_pages: Math.ceil(items.length / perPage),
      count: slice.length,
      total_count: items.length,
    },
  };
}

/** Sorts by a key where null sorts last in either direction; ties break on `name`. */
export function sortBy<T extends { name: string }>(items: T[], key: (item: T) => string | null, direction: 'asc' | 'desc'): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return ka < kb ? -sign : sign;
    }
    return a.name < b.name ? -sign : a.name > b.name ? sign : 0;
  });
}
