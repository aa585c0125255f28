// Writes one platform's archive from the built executable (layout.mjs says what goes in). Both kinds are
// reproducible from the same inputs: every entry's mtime is the last commit's, owners are 0, entries are sorted.
//   tar.gz  GNU tar: --sort=name --owner=0 --group=0 --numeric-owner --mtime, then gzip -n (no name, no time in the
//           gzip header). The siblings are relative symlinks, which install.sh and cmd/sea.ts rely on.
//   zip     our own writer (zip.mjs); the siblings are copies, each the same compressed body.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, copyFileSync, symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { expectedEntries, extOf } from './layout.mjs';
import { writeZip } from './zip.mjs';

/** Pure: where an entry's bytes come from. */
export function sourceOf(entry, { root, exe, keyring }) {
  if (entry.from === 'exe') return exe;
  if (entry.from === 'keyring') return keyring;
  return path.join(root, entry.from);
}

/** The last commit's time (seconds), the one mtime of every entry; SOURCE_DATE_EPOCH wins (reproducible-builds.org). */
export function commitTime(root) {
  const env = process.env.SOURCE_DATE_EPOCH;
  const s = env ?? execFileSync('git', ['-C', root, 'log', '-1', '--format=%ct'], { encoding: 'utf8', timeout: 30_000 }).trim();
  if (!/^\d+$/.test(s)) {
    throw new Error(`release: no commit time (${env ? 'SOURCE_DATE_EPOCH' : 'git log -1'} gave ${JSON.stringify(s)}); build from a git clone`);
  }
  return Number(s);
}

/** The archive tree under `stage`, with exact modes (the builder's umask must not leak into the archive). */
function stageTree(stage, entries, sources) {
  for (const e of entries) {
    const dest = path.join(stage, e.path);
    if (e.type === 'dir') mkdirSync(dest, { recursive: true });
    else if (e.type === 'symlink') symlinkSync(e.target, dest);
    else copyFileSync(sourceOf(e, sources), dest);
    if (e.type !== 'symlink') chmodSync(dest, e.mode);
  }
}

function tarGz(stage, top, out, mtime) {
  const tar = path.join(path.dirname(out), `.${path.basename(out)}.tar`);
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${mtime}`, '--format=gnu',
    '-C', stage, '-cf', tar, top], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  const fd = openSync(out, 'w');
  try {
    execFileSync('gzip', ['-n', '-c', tar], { stdio: ['ignore', fd, 'inherit'], timeout: 600_000 });
  } finally {
    closeSync(fd);
    rmSync(tar, { force: true });
  }
}

function zip(entries, sources, out, mtime) {
  const cache = new Map(); // one Buffer per source file, so the copies share one compressed body
  const bytes = (e) => {
    const src = sourceOf(e, sources);
    if (!cache.has(src)) cache.set(src, readFileSync(src));
    return cache.get(src);
  };
  writeZip(out, entries.map((e) => ({ name: e.path, mode: e.mode, data: e.type === 'dir' ? undefined : bytes(e) })), new Date(mtime * 1000));
}

/**
 * Writes `out` for a platform. sources: {root (the repository), exe (the built binary), keyring (its keyring.node)}.
 * work: a scratch directory this function may fill and empties again.
 */
export function writeArchive({ version, platform, sources, out, work, mtime }) {
  const entries = expectedEntries(version, platform);
  if (extOf(platform) === 'zip') return zip(entries, sources, out, mtime);
  const stage = path.join(work, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    stageTree(stage, entries, sources);
    // tar --mtime sets the stored times; utimes too, so the staged tree is what the archive says.
    for (const e of entries) if (e.type !== 'symlink') utimesSync(path.join(stage, e.path), mtime, mtime);
    tarGz(stage, entries[0].path.replace(/\/$/, ''), out, mtime);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
