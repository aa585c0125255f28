// Query parsing and the two pagination styles of the v4 envelope
// (docs/git-and-artifacts-behaviour.md, "Envelope and pagination"): cursor (repo and
// namespace lists) and offset (token lists, and repo/namespace lists asked with `page`, the way
// wrangler's pager asks: docs/emulator-api.md, "wrangler"). Pure.
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

/** How a cursor-paged list was asked for: `limit`/`cursor` (documented) or `page`/`per_page` (wrangler). */
export type ListPaging = { style: 'cursor'; limit: number; cursor: string | null } | { style: 'offset'; page: number; perPage: number };

/**
 * The paging of a repo or namespace list. `page` or `per_page` selects offset paging (per_page
 * defaulting to the route's `limit` default, with the same bounds); mixing it with `cursor` is a
 * 400, since the two name different positions.
 */
export function listPaging(query: URLSearchParams, defaultLimit: number, maxLimit: number): ListPaging {
  const offsetAsked = ['page', 'per_page'].some((k) => (query.get(k) ?? '') !== '');
  if (!offsetAsked) return { style: 'cursor', limit: intParam(query, 'limit', defaultLimit, 1, maxLimit), cursor: query.get('cursor') };
  if ((query.get('cursor') ?? '') !== '') throw invalid('use either cursor or page/per_page, not both');
  const fallback = intParam(query, 'limit', defaultLimit, 1, maxLimit);
  return { style: 'offset', page: intParam(query, 'page', 1, 1, 1_000_000), perPage: intParam(query, 'per_page', fallback, 1, maxLimit) };
}

/** One page of `items` as `paging` asks. */
export function listPage<T>(items: T[], paging: ListPaging): { page: T[]; info: CursorInfo | OffsetInfo } {
  return paging.style === 'cursor' ? cursorPage(items, paging.cursor, paging.limit) : offsetPage(items, paging.page, paging.perPage);
}
