// The content routes' decoders on real git object bytes and on hostile ones.
import { describe, expect, it } from 'vitest';
import { contentTypeOf, MalformedObject, parseBatch, parseCommit, parseTree } from '../../../src/emulator/git-objects.js';

const h = (c: string): string => c.repeat(40);
const id = (c: string): Buffer => Buffer.from(h(c), 'hex');

describe('parseBatch', () => {
  const obj = (hash: string, type: string, body: string): string => `${hash} ${type} ${Buffer.byteLength(body)}\n${body}\n`;
  it.each([
    ['one blob', obj(h('a'), 'blob', 'hi\n'), false, [{ hash: h('a'), missing: false, type: 'blob', size: 3, content: 'hi\n' }]],
    ['missing then commit', `${h('b')} missing\n${obj(h('c'), 'commit', 'x')}`, false, [{ hash: h('b'), missing: true }, { hash: h('c'), missing: false, type: 'commit', size: 1, content: 'x' }]],
    ['an empty blob', obj(h('d'), 'blob', ''), false, [{ hash: h('d'), missing: false, type: 'blob', size: 0, content: '' }]],
    ['a body with newlines and a fake header inside', obj(h('e'), 'blob', `\n${h('f')} blob 1\nz\n`), false, [{ hash: h('e'), missing: false, type: 'blob', size: 51, content: `\n${h('f')} blob 1\nz\n` }]],
    ['cut short inside an object', `${h('a')} blob 100\nonly a bit`, true, [{ hash: h('a'), missing: false, type: 'blob', size: 100 }]],
    ['cut short inside a header', `${obj(h('a'), 'blob', 'x')}${h('b')} blo`, true, [{ hash: h('a'), missing: false, type: 'blob', size: 1, content: 'x' }]],
    ['nothing', '', false, []],
  ])('%s', (_name, out, truncated, want) => {
    const got = parseBatch(Buffer.from(out), truncated).map((o) => ('content' in o && o.content ? { ...o, content: o.content.toString() } : o));
    expect(got).toEqual(want);
  });
  it.each([
    ['a bad header', 'nonsense\n'],
    ['an unknown type', `${h('a')} note 1\nx\n`],
    ['an object longer than the output', `${h('a')} blob 10\nx\n`],
    ['a header without its newline', `${h('a')} blob 1`],
    ['an ambiguous answer', `${h('a')} ambiguous\n`],
  ])('%s is a MalformedObject', (_name, out) => {
    expect(() => parseBatch(Buffer.from(out))).toThrow(MalformedObject);
  });
});

describe('parseCommit', () => {
  const tree = h('1');
  const raw = (headers: string[], message: string): Buffer => Buffer.from(`${headers.join('\n')}\n\n${message}`);
  it('a root commit as git writes it', () => {
    const c = parseCommit(h('9'), raw([`tree ${tree}`, 'author A U Thor <a@x> 1796130702 +0000', 'committer C O Mitter <c@y> 1796130703 -0730'], 'first\n\nbody\n'));
    expect(c).toEqual({
      hash: h('9'),
      treeHash: tree,
      message: 'first\n\nbody\n',
      author: { name: 'A U Thor', email: 'a@x' },
      committer: { name: 'C O Mitter', email: 'c@y' },
      parents: [],
      authoredAt: 1796130702,
      committedAt: 1796130703,
    });
  });
  it('a signed merge: two parents, a multi-line gpgsig, an encoding header, an empty name', () => {
    const c = parseCommit(h('9'), raw([`tree ${tree}`, `parent ${h('2')}`, `parent ${h('3')}`, ' <e@z> 0 +0000'.replace(/^ /, 'author '), 'committer X <x@x> 5 +0100', 'encoding UTF-8', 'gpgsig -----BEGIN PGP SIGNATURE-----', ' ', ' abc', ' -----END PGP SIGNATURE-----'], 'merge ü'));
    expect(c.parents).toEqual([h('2'), h('3')]);
    expect(c.author).toEqual({ name: '', email: 'e@z' });
    expect(c.message).toBe('merge ü');
  });
  it.each([
    ['no tree', [`author A <a> 1 +0000`, 'committer A <a> 1 +0000']],
    ['a short tree id', ['tree abc', 'author A <a> 1 +0000', 'committer A <a> 1 +0000']],
    ['a bad parent', [`tree ${tree}`, 'parent xyz', 'author A <a> 1 +0000', 'committer A <a> 1 +0000']],
    ['no committer', [`tree ${tree}`, 'author A <a> 1 +0000']],
    ['a bad date', [`tree ${tree}`, 'author A <a> soon +0000', 'committer A <a> 1 +0000']],
  ])('%s is a MalformedObject', (_name, headers) => {
    expect(() => parseCommit(h('9'), raw(headers, 'm'))).toThrow(MalformedObject);
  });
});

describe('parseTree', () => {
  const entry = (mode: string, name: string | Buffer, c: string): Buffer => Buffer.concat([Buffer.from(`${mode} `), Buffer.from(name), Buffer.from([0]), id(c)]);
  it('every mode git writes, in git\'s raw form', () => {
    const raw = Buffer.concat([entry('100644', 'a.txt', 'a'), entry('100755', 'run', 'b'), entry('40000', 'd', 'c'), entry('120000', 'l', 'd'), entry('160000', 'sub', 'e')]);
    expect(parseTree(raw).map(({ name, mode, hash, type }) => ({ name, mode, hash, type }))).toEqual([
      { name: 'a.txt', mode: '100644', hash: h('a'), type: 'blob' },
      { name: 'run', mode: '100755', hash: h('b'), type: 'exec' },
      { name: 'd', mode: '040000', hash: h('c'), type: 'tree' },
      { name: 'l', mode: '120000', hash: h('d'), type: 'symlink' },
      { name: 'sub', mode: '160000', hash: h('e'), type: 'gitlink' },
    ]);
  });
  it('keeps the bytes of a name that is not UTF-8', () => {
    const [e] = parseTree(entry('100644', Buffer.from([0xff, 0x41]), 'a'));
    expect(e?.nameBytes).toEqual(Buffer.from([0xff, 0x41]));
  });
  it('an empty tree has no entries', () => expect(parseTree(Buffer.alloc(0))).toEqual([]));
  it.each([
    ['a cut id', entry('100644', 'a', 'a').subarray(0, 20)],
    ['no NUL', Buffer.from('100644 abc')],
    ['a bad mode', entry('10x644', 'a', 'a')],
    ['an empty name', entry('100644', '', 'a')],
  ])('%s is a MalformedObject', (_name, raw) => expect(() => parseTree(raw)).toThrow(MalformedObject));
});

describe('contentTypeOf', () => {
  it.each([
    ['README.md', 'hello', 'text/plain; charset=utf-8'],
    ['data.json', '{}', 'application/json; charset=utf-8'],
    ['site/INDEX.HTML', '<p>', 'text/html; charset=utf-8'],
    ['a.htm', '<p>', 'text/html; charset=utf-8'],
    ['page.html', 'x\u0000y', 'application/octet-stream'],
    ['logo.png', '\u0089PNG\r\n\u001a\n\u0000', 'application/octet-stream'],
    ['json.txt', '{}', 'text/plain; charset=utf-8'],
    ['empty', '', 'text/plain; charset=utf-8'],
  ])('%s -> %s', (p, bytes, want) => expect(contentTypeOf(p, Buffer.from(bytes, 'latin1'))).toBe(want));
  it('looks for NUL in the first 8000 bytes only, as git does', () => {
    expect(contentTypeOf('a', Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]))).toBe('text/plain; charset=utf-8');
  });
});
