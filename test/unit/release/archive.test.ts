// archive.mjs and verify-archive.mjs together, on real files with GNU tar and our zip writer: an archive is
// reproducible byte for byte from the same inputs, and the check passes it and names what a tampered one lacks.
// The executables here are header-only stand-ins (the real ones take minutes to build; .ci/run verifies those).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../install/release/archive.mjs';
import { checkArchive } from '../../../install/release/verify-archive.mjs';
import { gnuTarRuns, noGnuTar } from '../../support/tools.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'archive-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = path.join(import.meta.dirname, '../../..');
const mtime = 1_700_000_000;

function stand_in(platform: string) {
  const b = Buffer.alloc(4096, 7);
  if (platform === 'linux-x64') { b.writeUInt32BE(0x7f454c46, 0); b.writeUInt16LE(62, 18); }
  if (platform === 'windows-x64') { b.write('MZ', 0, 'latin1'); b.writeUInt32LE(0x80, 0x3c); b.writeUInt32LE(0x4550, 0x80); b.writeUInt16LE(0x8664, 0x84); }
  const exe = path.join(dir, `${platform}.exe`);
  writeFileSync(exe, b);
  return exe;
}

describe.each(['linux-x64', 'windows-x64'])('%s archive', (platform) => {
  // The zip is our own writer; a tarball needs GNU tar.
  const needsTar = platform !== 'windows-x64' && !gnuTarRuns;
  const exe = stand_in(platform);
  const sources = { root, exe, keyring: exe };
  const file = (n: string) => path.join(dir, `${n}-${platform}.${platform === 'linux-x64' ? 'tar.gz' : 'zip'}`);
  const make = (n: string) => writeArchive({ version: '9.9.9', platform, sources, out: file(n), work: path.join(dir, `work-${n}`), mtime });

  it.skipIf(needsTar)('passes the check and is the same bytes when written again (tarballs skipped where: ' + noGnuTar + ')', () => {
    make('a');
    make('b');
    expect(checkArchive(file('a'), { version: '9.9.9', platform, root })).toEqual([]);
    expect(readFileSync(file('a')).equals(readFileSync(file('b')))).toBe(true);
  });

  it.skipIf(needsTar)('fails the check when checked as another platform (tarballs skipped where: ' + noGnuTar + ')', () => {
    const other = platform === 'linux-x64' ? 'linux-arm64' : 'linux-x64';
    expect(checkArchive(file('a'), { version: '9.9.9', platform: other, root }).join('\n')).toMatch(/missing/);
  });
});

it.skipIf(!gnuTarRuns)('a tarball whose README was changed and which gained a file: both named (skipped where: ' + noGnuTar + ')', () => {
  const exe = stand_in('linux-x64');
  const out = path.join(dir, 'tampered.tar.gz');
  writeArchive({ version: '9.9.9', platform: 'linux-x64', sources: { root, exe, keyring: exe }, out, work: path.join(dir, 'w'), mtime });
  const x = path.join(dir, 'x');
  execFileSync('mkdir', ['-p', x]);
  execFileSync('tar', ['-xzf', out, '-C', x]);
  const top = 'git-credential-artifacts-9.9.9-linux-x64';
  writeFileSync(path.join(x, top, 'README.md'), 'changed');
  writeFileSync(path.join(x, top, 'extra'), 'x');
  execFileSync('tar', ['-czf', out, '-C', x, top]);
  expect(checkArchive(out, { version: '9.9.9', platform: 'linux-x64', root })).toEqual([`${top}/extra: not part of a release`]);
  rmSync(path.join(x, top, 'extra'));
  execFileSync('tar', ['-czf', out, '-C', x, top]);
  expect(checkArchive(out, { version: '9.9.9', platform: 'linux-x64', root })).toEqual([`${top}/README.md: differs from README.md in the repository`]);
});
