// The release's pure parts: what each archive holds (layout.mjs), --only, SHA256SUMS text, platform headers
// (binfmt.mjs), the listing comparison verify.mjs reports, and the darwin signature gate.
import { describe, expect, it } from 'vitest';
import { platformOf } from '../../../install/release/binfmt.mjs';
import { checkSigned } from '../../../install/release/darwin.mjs';
import { archiveName, expectedEntries, parseOnly, PLATFORMS } from '../../../install/release/layout.mjs';
import { formatSums, parseSums } from '../../../install/release/sums.mjs';
import { compareListing } from '../../../install/release/verify-archive.mjs';

describe('layout', () => {
  it.each([
    ['linux-x64', 'git-credential-artifacts-1.2.3-linux-x64.tar.gz'],
    ['darwin-arm64', 'git-credential-artifacts-1.2.3-darwin-arm64.tar.gz'],
    ['windows-x64', 'git-credential-artifacts-1.2.3-windows-x64.zip'],
  ])('%s -> %s', (p, name) => expect(archiveName('1.2.3', p)).toBe(name));

  it('a tarball: one top folder, the binary, relative sibling symlinks, keyring.node, README, LICENSE, install scripts', () => {
    const t = 'git-credential-artifacts-1.2.3-darwin-x64';
    expect(expectedEntries('1.2.3', 'darwin-x64').map((e) => [e.path, e.type, e.mode?.toString(8) ?? e.target])).toEqual([
      [`${t}/`, 'dir', '755'], [`${t}/LICENSE`, 'file', '644'], [`${t}/README.md`, 'file', '644'],
      [`${t}/artifacts-emulator`, 'symlink', 'git-credential-artifacts'], [`${t}/git-credential-artifacts`, 'file', '755'],
      [`${t}/git-remote-artifacts`, 'symlink', 'git-credential-artifacts'], [`${t}/install/`, 'dir', '755'],
      [`${t}/install/install.sh`, 'file', '755'], [`${t}/install/uninstall.sh`, 'file', '755'], [`${t}/keyring.node`, 'file', '644'],
    ]);
  });

  it('the zip: .exe copies of the binary, no symlinks, and the PowerShell install scripts', () => {
    const entries = expectedEntries('1.2.3', 'windows-x64');
    expect(entries.filter((e) => e.from === 'exe').map((e) => e.path.split('/')[1]))
      .toEqual(['artifacts-emulator.exe', 'git-credential-artifacts.exe', 'git-remote-artifacts.exe']);
    expect(entries.some((e) => e.type === 'symlink' || e.path.endsWith('.sh'))).toBe(false);
    expect(entries.filter((e) => e.path.includes('/install/')).map((e) => e.path.split('/').slice(1).join('/')))
      .toEqual(['install/', 'install/install.ps1', 'install/uninstall.ps1']);
  });

  it.each<[string | undefined, string[] | RegExp]>([
    [undefined, PLATFORMS],
    ['linux-x64', ['linux-x64']],
    ['windows-x64, linux-x64', ['linux-x64', 'windows-x64']],
    ['linux-x64,linux-x64', ['linux-x64']],
    ['', /unknown platform \(none given\)/],
    ['linux-x64,macos-arm64', /unknown platform macos-arm64; use a comma list of linux-x64, /],
  ])('--only %j', (arg, want) => {
    if (want instanceof RegExp) expect(() => parseOnly(arg)).toThrow(want);
    else expect(parseOnly(arg)).toEqual(want);
  });
});

describe('SHA256SUMS', () => {
  const rows = [{ name: 'a-1.0.0-linux-x64.tar.gz', sha256: 'a'.repeat(64) }, { name: 'a-1.0.0-windows-x64.zip', sha256: '0'.repeat(64) }];
  it('round-trips in sha256sum -c format (two spaces, one line each, final newline)', () => {
    const text = formatSums(rows);
    expect(text).toBe(`${'a'.repeat(64)}  a-1.0.0-linux-x64.tar.gz\n${'0'.repeat(64)}  a-1.0.0-windows-x64.zip\n`);
    expect(parseSums(text)).toEqual(rows);
    expect(parseSums(`${'a'.repeat(64)} *x.zip\n`)).toEqual([{ name: 'x.zip', sha256: 'a'.repeat(64) }]);
  });
  it.each([
    ['no final newline', `${'a'.repeat(64)}  x.zip`],
    ['one space', `${'a'.repeat(64)} x.zip\n`],
    ['short hash', `${'a'.repeat(63)}  x.zip\n`],
    ['upper-case hash', `${'A'.repeat(64)}  x.zip\n`],
    ['a path', `${'a'.repeat(64)}  ../x.zip\n`],
    ['an empty line', `${'a'.repeat(64)}  x.zip\n\n`],
  ])('refuses %s', (_, text) => expect(() => parseSums(text)).toThrow(/SHA256SUMS/));
  it('refuses to write a name with a slash or a bad hash', () => {
    expect(() => formatSums([{ name: 'd/x.zip', sha256: 'a'.repeat(64) }])).toThrow(/bad SHA256SUMS row/);
    expect(() => formatSums([{ name: 'x.zip', sha256: 'xyz' }])).toThrow(/bad SHA256SUMS row/);
  });
});

/** A header-only binary of a format: enough bytes for platformOf. */
function header(kind: string, machine: number) {
  const b = Buffer.alloc(0x100);
  if (kind === 'elf') { b.writeUInt32BE(0x7f454c46, 0); b.writeUInt16LE(machine, 18); }
  if (kind === 'macho') { b.writeUInt32LE(0xfeedfacf, 0); b.writeUInt32LE(machine, 4); }
  if (kind === 'pe') { b.write('MZ', 0, 'latin1'); b.writeUInt32LE(0x80, 0x3c); b.writeUInt32LE(0x4550, 0x80); b.writeUInt16LE(machine, 0x84); }
  return b;
}

describe('platformOf', () => {
  it.each<[string, Buffer, string]>([
    ['ELF x86-64', header('elf', 62), 'linux-x64'],
    ['ELF aarch64', header('elf', 183), 'linux-arm64'],
    ['ELF riscv', header('elf', 243), 'elf-machine-243'],
    ['Mach-O x86_64', header('macho', 0x01000007), 'darwin-x64'],
    ['Mach-O arm64', header('macho', 0x0100000c), 'darwin-arm64'],
    ['PE amd64', header('pe', 0x8664), 'windows-x64'],
    ['PE arm64', header('pe', 0xaa64), 'pe-machine-aa64'],
    ['MZ without PE', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(0x40)]), 'unknown'],
    ['text', Buffer.from('#!/bin/sh\necho hi\n'), 'unknown'],
    ['nothing', Buffer.alloc(0), 'unknown'],
  ])('%s', (_, buf, want) => expect(platformOf(buf)).toBe(want));
});

describe('compareListing', () => {
  const want = expectedEntries('1.0.0', 'linux-x64');
  const t = 'git-credential-artifacts-1.0.0-linux-x64';
  it('nothing to say about the expected listing', () => expect(compareListing(want, want)).toEqual([]));
  it('names each missing, extra or different entry', () => {
    const got = want
      .filter((e) => !e.path.endsWith('LICENSE'))
      .map((e) => (e.path.endsWith('/git-remote-artifacts') ? { ...e, type: 'file' as const, mode: 0o755, target: undefined } : e))
      .map((e) => (e.path.endsWith('keyring.node') ? { ...e, mode: 0o666 } : e))
      .concat([{ path: 'evil', type: 'file', mode: 0o644 }]);
    expect(compareListing(got, want)).toEqual([
      `${t}/LICENSE: missing`,
      `${t}/git-remote-artifacts: is file 755, should be symlink -> git-credential-artifacts`,
      `${t}/keyring.node: is file 666, should be file 644`,
      'evil: not part of a release',
    ]);
  });
});

describe('checkSigned', () => {
  const signer = (ok: boolean, problems: string[]) => ({ signAdHoc: (b: Buffer) => b, verifyAdHoc: () => ({ ok, problems }) });
  it('passes a verified signature through', () => expect(checkSigned(signer(true, []), Buffer.alloc(1), 'x').ok).toBe(true));
  it.each<[string[], RegExp]>([
    [['page 3 hash differs', 'code limit short'], /release: bin: ad-hoc signature does not verify: page 3 hash differs; code limit short/],
    [[], /does not verify: no reason given/],
  ])('refuses a signature that does not verify: %j', (problems, msg) => {
    expect(() => checkSigned(signer(false, problems), Buffer.alloc(1), 'bin')).toThrow(msg);
  });
});
