// Property tests (fast-check) for what the emulator's content routes parse: the ref and path of
// a request (hostile: they must never become a git option, revision syntax or a path escape), the
// list paging query, and
// the git objects a pusher controls (decoders fail only with MalformedObject).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedObject, parseBatch, parseCommit, parseTree } from '../../../src/emulator/git-objects.js';
import { RestError } from '../../../src/emulator/envelope.js';
import { pathError, refError } from '../../../src/emulator/validation.js';
import { listPaging } from '../../../src/emulator/pagination.js';

const runs = { numRuns: 400 };
const tricky = fc
  .array(fc.oneof(fc.constantFrom('-', '--', '/', '.', '..', ':', '^', '~', '@', '@{', '{', '}', '\0', ' ', '\n', '\\', '*', '?', '[', 'HEAD', 'refs/', 'main', 'a', '0'), fc.string({ maxLength: 3 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('refError', () => {
  it('accepts nothing git would read as an option, revision syntax or a range', () => {
    fc.assert(
      fc.property(tricky, (ref) => {
        if (refError(ref) !== null) return;
        expect(ref).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9._/-]*$/);
        expect(ref.length).toBeLessThanOrEqual(256);
        expect(ref).not.toContain('..');
        expect(ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')).toBe(false);
      }),
      runs,
    );
  });
  it('accepts every branch-like name the schema allows', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([a-z0-9_-]{0,10}\/)?[a-z0-9_-]{0,10}[a-z0-9]$/), (ref) => {
        expect(refError(ref)).toBeNull();
      }),
      runs,
    );
  });
});

describe('pathError', () => {
  it('accepts only relative paths without empty, . or .. parts and without NUL', () => {
    fc.assert(
      fc.property(tricky, (p) => {
        if (pathError(p) !== null) return;
        expect(p.startsWith('/')).toBe(false);
        expect(p).not.toContain('\0');
        for (const part of p.split('/')) expect(['', '.', '..']).not.toContain(part);
      }),
      runs,
    );
  });
});

describe('git object decoders on arbitrary bytes', () => {
  const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
  const onlyMalformed = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedObject);
    }
  };
  it('parseTree, parseCommit and parseBatch throw nothing but MalformedObject', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (b, truncated) => {
        onlyMalformed(() => parseTree(b));
        onlyMalformed(() => parseCommit('0'.repeat(40), b));
        onlyMalformed(() => parseBatch(b, truncated));
      }),
      runs,
    );
  });
  it('parseTree reads back every entry of a tree it is given', () => {
    const entry = fc.record({
      mode: fc.constantFrom('100644', '100755', '40000', '120000', '160000'),
      name: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((a) => Buffer.from(a.map((x) => (x === 0 ? 1 : x)))),
      id: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((a) => Buffer.from(a)),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const raw = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} `), e.name, Buffer.from([0]), e.id]));
        const got = parseTree(raw);
        expect(got.map((e) => [e.mode, e.nameBytes.toString('hex'), e.hash])).toEqual(entries.map((e) => [e.mode.padStart(6, '0'), e.name.toString('hex'), e.id.toString('hex')]));
      }),
      runs,
    );
  });
});

describe('listPaging on arbitrary queries', () => {
  const value = fc.oneof(fc.constantFrom('', '0', '1', '2', '50', '200', '201', '-1', '1.5', '1e3', '99999999999', 'x', ' 1'), fc.string({ maxLength: 6 }));
  const query = fc.record({ page: fc.option(value), per_page: fc.option(value), limit: fc.option(value), cursor: fc.option(value) });
  it('answers a paging within the bounds or a 400 10100, nothing else', () => {
    fc.assert(
      fc.property(query, (q) => {
        const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== null));
        try {
          const p = listPaging(params, 50, 200);
          if (p.style === 'offset') {
            expect(p.page).toBeGreaterThanOrEqual(1);
            expect(p.perPage).toBeGreaterThanOrEqual(1);
            expect(p.perPage).toBeLessThanOrEqual(200);
          } else {
            expect(p.limit).toBeGreaterThanOrEqual(1);
            expect(p.limit).toBeLessThanOrEqual(200);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(RestError);
          expect((e as RestError).status).toBe(400);
          expect((e as RestError).code).toBe(10100);
        }
      }),
      runs,
    );
  });
});
