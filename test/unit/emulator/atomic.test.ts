import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomic } from '../../../src/emulator/atomic.js';
import { RestError } from '../../../src/emulator/envelope.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeAtomic', () => {
  it('replaces the file with a 0600 one and leaves nothing else', async () => {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, 'old');
    await writeAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it.each([
    { what: 'a missing directory', file: () => path.join(dir, 'gone', 'state.json'), code: 'ENOENT' },
    // Windows refuses a rename onto a directory with EPERM.
    { what: 'a directory where the file should be', file: () => path.join(dir, 'sub'), code: process.platform === 'win32' ? 'EPERM' : 'EISDIR' },
  ])('$what: a 500 naming the file and the errno, no temp file left', async ({ file, code }) => {
    if (code !== 'ENOENT') (await import('node:fs')).mkdirSync(path.join(dir, 'sub'));
    const target = file();
    const e = await writeAtomic(target, 'x').then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(RestError);
    expect((e as RestError).status).toBe(500);
    expect((e as RestError).message).toBe(`the emulator cannot save ${target} (${code})`);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
