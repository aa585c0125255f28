// Target runtimes and keychain addons for release builds, taken ONLY from what package-lock.json names (issue 20):
// a release must never embed a runtime the lockfile does not pin. Each tarball is fetched with the ordinary client
// (`npm pack name@version`, npm registry only), its sha512 checked against the lockfile `integrity`, then extracted
// into a cache outside the clone that later runs reuse.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The five release targets: Bun's runtime package, its binary inside the package, and the keyring addon package. */
export const TARGETS = {
  'linux-x64': { bun: '@oven/bun-linux-x64', exe: 'bin/bun', keyring: '@napi-rs/keyring-linux-x64-gnu' },
  'linux-arm64': { bun: '@oven/bun-linux-aarch64', exe: 'bin/bun', keyring: '@napi-rs/keyring-linux-arm64-gnu' },
  'darwin-x64': { bun: '@oven/bun-darwin-x64', exe: 'bin/bun', keyring: '@napi-rs/keyring-darwin-x64' },
  'darwin-arm64': { bun: '@oven/bun-darwin-aarch64', exe: 'bin/bun', keyring: '@napi-rs/keyring-darwin-arm64' },
  'windows-x64': { bun: '@oven/bun-windows-x64', exe: 'bin/bun.exe', keyring: '@napi-rs/keyring-win32-x64-msvc' },
};

export const cacheRoot = () => join(homedir(), '.cache', 'git-credential-artifacts-ci', 'release');

/** Pure: the lockfile's pin {version, integrity} for a package name, or a clear error. */
export function lockedPin(lock, name) {
  const entry = lock?.packages?.[`node_modules/${name}`];
  if (!entry) throw new Error(`release: ${name} is not named in package-lock.json; add it (npm install) before releasing`);
  const m = /^sha512-([A-Za-z0-9+/]+={0,2})$/.exec(entry.integrity ?? '');
  if (typeof entry.version !== 'string' || !m) {
    throw new Error(`release: package-lock.json has no version or sha512 integrity for ${name}; regenerate the lockfile`);
  }
  return { name, version: entry.version, integrity: entry.integrity };
}

/** Pure: throws unless the tarball bytes hash to the lockfile integrity. */
export function checkIntegrity(pin, bytes) {
  const got = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  if (got !== pin.integrity) {
    throw new Error(`release: ${pin.name}@${pin.version} tarball does not match package-lock.json integrity ` +
      `(want ${pin.integrity}, got ${got}); refusing to embed it. Clear ${cacheRoot()} and retry, or check the registry`);
  }
}

/** Fetch (or reuse) one pinned package, verified, extracted; returns its package directory. */
export function fetchPinned(pin, cache = cacheRoot()) {
  const dir = join(cache, `${pin.name.replace('/', '+')}@${pin.version}`);
  const done = join(dir, 'package');
  if (existsSync(join(dir, 'ok'))) return done;
  mkdirSync(cache, { recursive: true });
  // Work in a private temp dir and rename into place, so concurrent runs never see half an extraction.
  const tmp = mkdtempSync(join(cache, '.tmp-'));
  try {
    execFileSync('npm', ['pack', `${pin.name}@${pin.version}`, '--pack-destination', tmp, '--silent'],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`release: npm pack ${pin.name}@${pin.version} produced no tarball`);
    checkIntegrity(pin, readFileSync(join(tmp, tgz)));
    execFileSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp], { timeout: 120_000 });
    rmSync(join(tmp, tgz));
    execFileSync('sh', ['-c', ': > "$1"/ok', 'sh', tmp]);
    try { renameSync(tmp, dir); } catch (e) { if (!existsSync(join(dir, 'ok'))) throw e; }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return done;
}

/** The runtime binary and keyring.node for a target, all pinned by root/package-lock.json. */
export async function targetParts(root, target) {
  const t = TARGETS[target];
  if (!t) throw new Error(`release: unknown target ${target}; use one of ${Object.keys(TARGETS).join(', ')}`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const bunDir = fetchPinned(lockedPin(lock, t.bun));
  const keyDir = fetchPinned(lockedPin(lock, t.keyring));
  const node = readdirSync(keyDir).find((f) => f.endsWith('.node'));
  if (!node) throw new Error(`release: ${t.keyring} has no .node addon`);
  return { bun: join(bunDir, t.exe), keyringNode: join(keyDir, node) };
}
