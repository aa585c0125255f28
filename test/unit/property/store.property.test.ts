// Property tests (fast-check) for the parsers of the login stores and the cache listing: a
// keychain entry's name (another program may have written it), the token file, the login
// index and a cache entry's key (planted or damaged files). Each runs a few hundred cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRows } from '../../../src/store/file-store.js';
import { decodeLogins } from '../../../src/store/logins.js';
import { entryName, parseEntryName, type StoreKey } from '../../../src/store/token-store.js';
import { entryName as cacheEntryName, keyOfEntry, keyString, type CacheKey } from '../../../src/token/cache.js';

const runs = { numRuns: 400 };

const nasty = fc
  .array(fc.oneof(fc.constantFrom('@', '/', ':', 'http://', 'https://', '\n', '\0', ' ', '%', '#', '?', '..', 'é'), fc.string({ maxLength: 4 })), { maxLength: 16 })
  .map((p) => p.join(''));
const account = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const host = fc.constantFrom('api.cloudflare.com', 'a.example', '127.0.0.1:8787', '[::1]:9');
const apiUrl = fc.tuple(host, fc.constantFrom('/client/v4', '/v1/api', '/edge/v1/api', '/p')).map(([h, p]) => `${h.startsWith('1') || h.startsWith('[') ? 'http' : 'https'}://${h}${p}`);
const key: fc.Arbitrary<StoreKey> = fc.tuple(apiUrl, fc.option(account, { nil: undefined })).map(([a, acct]) => (acct === undefined ? { apiUrl: a } : { apiUrl: a, account: acct }));

describe('keychain entry names', () => {
  it('entryName then parseEntryName is the identity', () => {
    fc.assert(fc.property(key, (k) => {
        expect(parseEntryName(entryName(k))).toEqual(k);
      }), runs);
  });
  it('parseEntryName never throws, and what it accepts names itself', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, key.map(entryName).chain((n) => fc.tuple(fc.nat(n.length), nasty).map(([i, junk]) => n.slice(0, i) + junk + n.slice(i)))), (name) => {
        const k = parseEntryName(name);
        if (k) expect(entryName(k)).toBe(name);
      }),
      runs,
    );
  });
});

describe('store files', () => {
  const rowJson = fc.record({ apiUrl: fc.oneof(apiUrl, nasty), account: fc.option(fc.oneof(account, nasty), { nil: undefined }), token: fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), nasty), store: fc.constantFrom('keychain', 'file', 'x') });
  const fileText = fc.oneof(nasty, fc.array(rowJson, { maxLength: 5 }).map((logins) => JSON.stringify({ v: 1, logins })), fc.jsonValue().map((v) => JSON.stringify(v)));

  it('decodeRows never throws; every row it keeps is a normalised key with a printable one-word token', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        for (const r of decodeRows(text)) {
          expect(parseEntryName(entryName(r))).toEqual(r.account === undefined ? { apiUrl: r.apiUrl } : { apiUrl: r.apiUrl, account: r.account });
          expect(r.token).toMatch(/^[^\s\0]+$/);
        }
      }),
      runs,
    );
  });

  it('decodeLogins never throws; rows are unique, normalised, with a known store', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        const rows = decodeLogins(text);
        expect(new Set(rows.map(entryName)).size).toBe(rows.length);
        for (const r of rows) {
          expect(['keychain', 'file']).toContain(r.store);
          expect(parseEntryName(entryName(r))).toBeDefined();
        }
      }),
      runs,
    );
  });
});

describe('cache entry keys', () => {
  const cacheKey: fc.Arbitrary<CacheKey> = fc.record({
    origin: fc.constantFrom('https://x.artifacts.cloudflare.net', 'http://127.0.0.1:9'),
    apiUrl,
    account: fc.oneof(account, fc.constant('')),
    namespace: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/),
    repo: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/),
    scope: fc.constantFrom('read' as const, 'write' as const),
  });
  it('keyOfEntry reads back the key an entry was written with', () => {
    fc.assert(fc.property(cacheKey, (k) => {
        expect(keyOfEntry(JSON.stringify({ v: 1, key: keyString(k) }))).toEqual(k);
      }), runs);
  });
  it('keyOfEntry never throws on anything, and what it reads hashes to a file name', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.jsonValue().map((v) => JSON.stringify(v)), nasty.map((k) => JSON.stringify({ v: 1, key: k }))), (text) => {
        const k = keyOfEntry(text);
        if (k) expect(cacheEntryName(k)).toMatch(/^[0-9a-f]{64}\.json$/);
      }),
      runs,
    );
  });
});
