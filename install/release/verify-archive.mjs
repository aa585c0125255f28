// Opens one release archive as a user would (tar for .tar.gz, the ZIP reader for .zip) and checks it against
// layout.mjs: exactly the expected entries (no more, none outside the top folder), their types, modes, symlink
// targets, the repository files byte for byte, and executables and addons built for that platform (binfmt.mjs).
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { platformOf } from './binfmt.mjs';
import { expectedEntries, extOf, topFolder, TOOL } from './layout.mjs';
import { readZip } from './zip-read.mjs';

export const hostPlatform = () => `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/** Every entry under dir as {path, type, mode, target, data} (paths with "/", directories ending in "/"). */
function walk(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(dir, p));
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) out.push({ path: `${p}/`, type: 'dir', mode }, ...walk(dir, p));
    else if (st.isSymbolicLink()) out.push({ path: p, type: 'symlink', target: readlinkSync(path.join(dir, p)) });
    else out.push({ path: p, type: st.isFile() ? 'file' : 'other', mode, read: () => readFileSync(path.join(dir, p)) });
  }
  return out;
}

/** Calls fn with the archive's entries, then cleans up whatever was extracted. */
export function withEntries(file, fn) {
  if (file.endsWith('.zip')) {
    const entries = readZip(readFileSync(file)).map((e) => (e.isDir
      ? { path: e.name, type: 'dir', mode: e.mode & 0o7777 }
      : { path: e.name, type: (e.mode & 0o170000) === 0o100000 ? 'file' : 'other', mode: e.mode & 0o7777, read: () => e.data }));
    return fn(entries);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'release-verify-'));
  try {
    execFileSync('tar', ['-xzf', file, '-C', dir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
    return fn(walk(dir), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const describe = (e) => `${e.type}${e.mode === undefined ? '' : ` ${e.mode.toString(8)}`}${e.target ? ` -> ${e.target}` : ''}`;

/** Pure: the problems in a listing, compared with what layout.mjs expects. */
export function compareListing(got, want) {
  const problems = [];
  const byPath = new Map(got.map((e) => [e.path, e]));
  for (const w of want) {
    const g = byPath.get(w.path);
    if (!g) problems.push(`${w.path}: missing`);
    else if (describe(g) !== describe(w)) problems.push(`${w.path}: is ${describe(g)}, should be ${describe(w)}`);
  }
  const wanted = new Set(want.map((w) => w.path));
  for (const g of got) if (!wanted.has(g.path)) problems.push(`${g.path}: not part of a release`);
  return problems;
}

/** Problems in one archive (empty when it is right); root is the repository its files came from. */
export function checkArchive(file, { version, platform, root }) {
  const want = expectedEntries(version, platform);
  return withEntries(file, (got) => {
    const problems = compareListing(got, want);
    if (problems.length) return problems;
    const read = new Map(got.map((e) => [e.path, e.read]));
    let exeBytes;
    for (const w of want.filter((e) => e.type === 'file')) {
      const bytes = read.get(w.path)();
      if (w.from === 'exe' || w.from === 'keyring') {
        const p = platformOf(bytes);
        if (p !== platform) problems.push(`${w.path}: built for ${p}, not ${platform}`);
        if (w.from === 'exe' && exeBytes && !exeBytes.equals(bytes)) problems.push(`${w.path}: not the same executable as ${TOOL}`);
        if (w.from === 'exe') exeBytes ??= bytes;
      } else if (!bytes.equals(readFileSync(path.join(root, w.from)))) {
        problems.push(`${w.path}: differs from ${w.from} in the repository`);
      }
    }
    return problems;
  });
}

/** The executable's bytes from inside an archive. */
export function executableOf(file, version, platform) {
  const name = `${topFolder(version, platform)}/${TOOL}${extOf(platform) === 'zip' ? '.exe' : ''}`;
  return withEntries(file, (got) => got.find((e) => e.path === name)?.read());
}

/** Extracts a (host) tarball and runs its executable with args; stdout. */
export function runExtracted(file, version, platform, args) {
  return withEntries(file, (_, dir) => execFileSync(path.join(dir, topFolder(version, platform), TOOL), args,
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'inherit'] }));
}
