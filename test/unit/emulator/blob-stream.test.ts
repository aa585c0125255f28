// parseBatchCheck (src/emulator/blob-stream.ts): one line of `git cat-file --batch-check`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatchCheck } from '../../../src/emulator/blob-stream.js';

const id = 'a'.repeat(40);

describe('parseBatchCheck', () => {
  it.each([
    [`${id} blob 12\n`, { type: 'blob', size: 12 }],
    [`${id} blob 0`, { type: 'blob', size: 0 }],
    [`${id} tree 33554433\n`, { type: 'tree', size: 33554433 }],
    [`${id} missing\n`, null],
    [`${id} blob -1\n`, null],
    [`${id} blob 1e3\n`, null],
    [`${'A'.repeat(40)} blob 1\n`, null],
    [`${id} blob 1\n${id} blob 2\n`, null],
    ['', null],
  ])('%j → %j', (line, want) => {
    expect(parseBatchCheck(line)).toEqual(want);
  });

  it('never throws, and what it returns is a type and a safe size', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const head = parseBatchCheck(line);
        if (head) expect(Number.isSafeInteger(head.size) && /^[a-z]+$/.test(head.type)).toBe(true);
      }),
    );
  });

  it('reads back every line git could print', () => {
    fc.assert(
      fc.property(fc.constantFrom('blob', 'tree', 'commit', 'tag'), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (type, size) => {
        expect(parseBatchCheck(`${id} ${type} ${size}\n`)).toEqual({ type, size });
      }),
    );
  });
});
