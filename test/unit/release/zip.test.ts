// install/release/zip.mjs, the Windows archive's writer: CRC-32 and DOS time tables, name checks, and archives read
// back byte for byte by independent readers (Python's zipfile, `unzip -t`) as well as our own zip-read.mjs.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip } from '../../../install/release/zip-read.mjs';
import { checkName, crc32, dosDateTime, writeZip, type ZipEntry } from '../../../install/release/zip.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('crc32', () => {
  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('%j -> %s', (s, want) => expect(crc32(Buffer.from(s))).toBe(want));
});

describe('dosDateTime', () => {
  it.each([
    ['1980-01-01T00:00:00Z', 0x0021, 0],
    ['2026-12-07T05:43:59Z', ((2026 - 1980) << 9) | (12 << 5) | 7, (5 << 11) | (43 << 5) | 29],
    ['1970-01-01T00:00:00Z', ((1980 - 1980) << 9) | (1 << 5) | 1, 0],
  ])('%s', (iso, date, time) => expect(dosDateTime(new Date(iso))).toEqual({ date, time }));
});

describe('checkName', () => {
  it.each(['a', 'a/b', 'top/', 'top/install/install.sh'])('accepts %j', (n) => expect(() => checkName(n, n.endsWith('/'))).not.toThrow());
  it.each([['', false], ['/abs', false], ['a/../b', false], ['a\\b', false], ['a//b', false], ['./a', false], ['dir/', false], ['file', true]])(
    'refuses %j (isDir %s)', (n, isDir) => expect(() => checkName(n, isDir)).toThrow(/zip: /),
  );
});

const exe = randomBytes(300_000); // incompressible: stored
const text = Buffer.from('hello zip\n'.repeat(5000)); // compressible: deflated
const entries: ZipEntry[] = [
  { name: 'top/', mode: 0o755 },
  { name: 'top/a.exe', data: exe, mode: 0o755 },
  { name: 'top/b.exe', data: exe, mode: 0o755 },
  { name: 'top/empty', data: Buffer.alloc(0), mode: 0o644 },
  { name: 'top/README.md', data: text, mode: 0o644 },
  { name: 'top/sub/ünïcode.txt', data: Buffer.from('ü'), mode: 0o600 },
];
const file = path.join(dir, 't.zip');
writeZip(file, entries, new Date('2026-12-07T05:43:58Z'));
const files = entries.filter((e) => e.data);

describe('writeZip', () => {
  it('our reader gets every entry back: names, modes, bytes', () => {
    const got = readZip(readFileSync(file));
    expect(got.map((e) => [e.name, e.mode & 0o7777, e.isDir])).toEqual(entries.map((e) => [e.name, e.mode, e.name.endsWith('/')]));
    for (const e of files) expect(got.find((g) => g.name === e.name)!.data.equals(e.data!)).toBe(true);
  });

  it('is deterministic, and stores a repeated body once compressed (deflated text is smaller than the text)', () => {
    const again = path.join(dir, 'again.zip');
    writeZip(again, entries, new Date('2026-12-07T05:43:58Z'));
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);
    expect(readFileSync(file).length).toBeLessThan(2 * exe.length + text.length / 10);
    expect(deflateRawSync(text).length).toBeLessThan(text.length / 10);
  });

  it.skipIf(!has('python3'))('Python zipfile reads it byte-exact, with the unix modes and mtime (skipped where python3 is missing)', () => {
    const py = `
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.external_attr >> 16, i.date_time[:5], hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))`;
    const out = JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' })) as [string, number, number[], string][];
    const sha = (b: Buffer) => execFileSync('sha256sum', { input: b, encoding: 'utf8' }).split(' ')[0];
    expect(out).toEqual(entries.map((e) => [
      e.name, (e.name.endsWith('/') ? 0o040000 : 0o100000) | e.mode, [2026, 12, 7, 5, 43], sha(e.data ?? Buffer.alloc(0)),
    ]));
  });

  it.skipIf(!has('unzip'))('unzip -t finds no error, and unzip -p gives the bytes back (skipped where unzip is missing)', () => {
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    for (const e of files) expect(execFileSync('unzip', ['-p', file, e.name]).equals(e.data!)).toBe(true);
  });

  it('our reader refuses a damaged archive (a flipped byte in a body)', () => {
    const bad = Buffer.from(readFileSync(file));
    bad[100] = bad[100]! ^ 0xff;
    expect(() => readZip(bad)).toThrow(/zip: .*(CRC|size|header)/);
  });
});
