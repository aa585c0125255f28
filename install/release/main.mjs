// `npm run release`: the five release archives and SHA256SUMS in release/ (issue 20; README "Release archives").
//
//   node install/release/main.mjs [--only linux-x64,darwin-arm64,...] [--out DIR]
//
// Offline after `npm ci`, apart from the target runtimes and keychain addons, which come ONLY as package-lock.json
// pins them (runtimes.mjs: npm pack, sha512 checked, cached under ~/.cache/git-credential-artifacts-ci/release). Per
// platform: install/sea.mjs --target/--runtime/--keyring builds the single executable; darwin executables are
// ad-hoc signed and verified (darwin.mjs); archive.mjs writes the archive. The host's own archive (linux-x64 here)
// is then extracted and its binary's --sea-check run, as a user would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitTime, writeArchive } from './archive.mjs';
import { machoSign, signDarwin } from './darwin.mjs';
import { archiveName, bunTarget, parseOnly, PLATFORMS, TOOL } from './layout.mjs';
import { targetParts } from './runtimes.mjs';
import { formatSums, sha256File } from './sums.mjs';
import { hostPlatform, runExtracted } from './verify-archive.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const say = (s) => process.stderr.write(`release: ${s}\n`);
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

function flags(argv) {
  const value = (name) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new Error(`release: ${name} needs a value`);
    return argv[i + 1];
  };
  const known = new Set(['--only', '--out']);
  const bad = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(argv[i - 1]));
  if (bad.length) throw new Error(`release: unknown option ${bad[0]}; use --only ${PLATFORMS.join(',')} and --out DIR`);
  return { platforms: parseOnly(value('--only')), out: path.resolve(value('--out') ?? path.join(root, 'release')) };
}

/** One platform's executable: sea.mjs with the pinned runtime and addon; darwin ones signed. */
async function buildExecutable(platform, work) {
  const parts = await targetParts(root, platform);
  const sea = path.join(work, `sea-${platform}`);
  execFileSync(process.execPath, [path.join(root, 'install', 'sea.mjs'), '--out', sea, '--target', bunTarget(platform),
    '--runtime', parts.bun, '--keyring', parts.keyringNode], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 900_000 });
  const exe = path.join(sea, TOOL + (platform.startsWith('windows-') ? '.exe' : ''));
  if (platform.startsWith('darwin-')) {
    const v = await signDarwin(exe);
    say(`${platform}: ad-hoc signed as ${v.identifier ?? 'git-credential-artifacts'}, signature verified`);
  }
  return { sea, exe, keyring: path.join(sea, 'keyring.node') };
}

async function releasePlatform(platform, { version, out, work, mtime }) {
  const started = Date.now();
  const built = await buildExecutable(platform, work);
  const file = path.join(out, archiveName(version, platform));
  writeArchive({ version, platform, sources: { root, exe: built.exe, keyring: built.keyring }, out: file, work, mtime });
  rmSync(built.sea, { recursive: true, force: true });
  const size = statSync(file).size;
  say(`${platform}: ${path.basename(file)} ${mb(size)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return { platform, file, size };
}

async function main() {
  const started = Date.now();
  const { platforms, out } = flags(process.argv.slice(2));
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const mtime = commitTime(root);
  // Before minutes of building: a darwin archive cannot be made without the signer.
  if (platforms.some((p) => p.startsWith('darwin-'))) await machoSign();
  rmSync(out, { recursive: true, force: true });
  const work = path.join(out, '.work');
  mkdirSync(work, { recursive: true });
  const done = [];
  try {
    for (const platform of platforms) done.push(await releasePlatform(platform, { version, out, work, mtime }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = await Promise.all(done.map(async (d) => ({ name: path.basename(d.file), sha256: await sha256File(d.file) })));
  writeFileSync(path.join(out, 'SHA256SUMS'), formatSums(rows));
  const host = done.find((d) => d.platform === hostPlatform());
  if (host) {
    const check = runExtracted(host.file, version, host.platform, ['--sea-check']);
    say(`${host.platform}: the extracted archive's --sea-check: ${check.trim().split('\n').join(' | ')}`);
  }
  for (const d of done) process.stdout.write(`${mb(d.size).padStart(9)}  ${path.relative(process.cwd(), d.file)}\n`);
  say(`${done.length} archive(s) and SHA256SUMS in ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
