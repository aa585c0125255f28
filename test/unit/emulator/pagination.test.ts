import { describe, expect, it } from 'vitest';
import type { CursorInfo } from '../../../src/emulator/envelope.js';
import { RestError } from '../../../src/emulator/envelope.js';
import { cursorPage, decodeCursor, encodeCursor, enumParam, intParam, listPage, listPaging, offsetPage, sortBy } from '../../../src/emulator/pagination.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

describe('intParam', () => {
  it.each([
    ['', 50],
    ['limit=1', 1],
    ['limit=200', 200],
    ['limit=', 50],
  ])('%j -> %d', (query, want) => expect(intParam(q(query), 'limit', 50, 1, 200)).toBe(want));
  it.each(['limit=0', 'limit=201', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=99999999999'])('%j is a 400 10100', (query) => {
    expect(() => intParam(q(query), 'limit', 50, 1, 200)).toThrow(RestError);
    try {
      intParam(q(query), 'limit', 50, 1, 200);
    } catch (e) {
      expect((e as RestError).status).toBe(400);
      expect((e as RestError).code).toBe(10100);
    }
  });
});

describe('enumParam', () => {
  it('defaults and accepts', () => {
    expect(enumParam(q(''), 'd', ['asc', 'desc'] as const, 'desc')).toBe('desc');
    expect(enumParam(q('d=asc'), 'd', ['asc', 'desc'] as const, 'desc')).toBe('asc');
    expect(() => enumParam(q('d=up'), 'd', ['asc', 'desc'] as const, 'desc')).toThrow(/asc, desc/);
  });
});

describe('cursor pagination', () => {
  const items = Array.from({ length: 5 }, (_, i) => i);
  it('walks all items and ends with an empty cursor', () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const { page, info }: { page: number[]; info: CursorInfo } = cursorPage(items, cursor, 2);
      seen.push(...page);
      expect(info.count).toBe(page.length);
      expect(info.per_page).toBe(2);
      if (info.cursor === '') break;
      cursor = info.cursor;
    }
    expect(seen).toEqual(items);
  });
  it('round-trips and rejects foreign cursors', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(decodeCursor(null)).toBe(0);
    expect(() => decodeCursor('garbage!')).toThrow(RestError);
    expect(() => decodeCursor(Buffer.from('o:x').toString('base64url'))).toThrow(RestError);
  });
});

describe('offset pagination', () => {
  it.each([
    [7, 1, 3, { page: 1, per_page: 3, total_pages: 3, count: 3, total_count: 7 }],
    [7, 3, 3, { page: 3, per_page: 3, total_pages: 3, count: 1, total_count: 7 }],
    [7, 4, 3, { page: 4, per_page: 3, total_pages: 3, count: 0, total_count: 7 }],
    [0, 1, 30, { page: 1, per_page: 30, total_pages: 0, count: 0, total_count: 0 }],
  ])('%d items, page %d of %d', (n, page, per, info) => {
    expect(offsetPage(Array.from({ length: n }, (_, i) => i), page, per).info).toEqual(info);
  });
});

describe('sortBy', () => {
  const rows = [
    { name: 'b', t: '2' },
    { name: 'a', t: null },
    { name: 'c', t: '1' },
    { name: 'd', t: '2' },
  ];
  it('puts nulls last both ways and breaks ties on name', () => {
    expect(sortBy(rows, (r) => r.t, 'asc').map((r) => r.name)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortBy(rows, (r) => r.t, 'desc').map((r) => r.name)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('listPaging: cursor (documented) or page/per_page (wrangler)', () => {
  it.each([
    ['', { style: 'cursor', limit: 50, cursor: null }],
    ['limit=7', { style: 'cursor', limit: 7, cursor: null }],
    ['cursor=abc', { style: 'cursor', limit: 50, cursor: 'abc' }],
    ['page=1', { style: 'offset', page: 1, perPage: 50 }],
    ['page=3&per_page=20', { style: 'offset', page: 3, perPage: 20 }],
    ['per_page=200', { style: 'offset', page: 1, perPage: 200 }],
    ['page=2&limit=10', { style: 'offset', page: 2, perPage: 10 }],
    ['page=&cursor=', { style: 'cursor', limit: 50, cursor: '' }],
  ])('%j -> %j', (query, want) => expect(listPaging(q(query), 50, 200)).toEqual(want));

  it.each(['page=0', 'page=x', 'per_page=0', 'per_page=201', 'page=1&cursor=abc', 'limit=0', 'limit=201', 'page=1&limit=201'])('%j is a 400 10100', (query) => {
    try {
      listPaging(q(query), 50, 200);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RestError);
      expect((e as RestError).status).toBe(400);
      expect((e as RestError).code).toBe(10100);
    }
  });

  it('offset pages carry what wrangler\'s pager reads (page * per_page < total_count means more)', () => {
    const items = Array.from({ length: 5 }, (_, i) => i);
    const seen: number[] = [];
    for (let page = 1; ; page++) {
      const { page: slice, info } = listPage(items, { style: 'offset', page, perPage: 2 });
      seen.push(...slice);
      expect(info).toMatchObject({ page, per_page: 2, count: slice.length, total_count: 5, total_pages: 3 });
      if (page * 2 >= 5) break;
    }
    expect(seen).toEqual(items);
    expect(listPage(items, { style: 'cursor', limit: 2, cursor: null }).info).toEqual({ cursor: encodeCursor(2), per_page: 2, count: 2 });
  });
});
