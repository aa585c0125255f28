// Checks a release directory (issue 20):
//
//   node install/release/verify.mjs release/ [--only linux-x64,...]
//
// SHA256SUMS lists exactly the archives of this version (every platform, or those of --only) and each hash matches;
// every archive holds exactly what layout.mjs says (verify-archive.mjs); both darwin executables carry a whole, valid
// ad-hoc signature (macho-sign.mjs verifyAdHoc). Prints one line per archive; exit 1 with every problem otherwise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machoSign } from './darwin.mjs';
import { archiveName, parseOnly } from './layout.mjs';
import { parseSums, sha256File } from './sums.mjs';
import { checkArchive, executableOf } from './verify-archive.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Problems with SHA256SUMS itself: which files it names, and whether their hashes match. */
async function checkSums(dir, names) {
  const sumsFile = path.join(dir, 'SHA256SUMS');
  if (!existsSync(sumsFile)) return [`${sumsFile} is missing`];
  const rows = parseSums(readFileSync(sumsFile, 'utf8'));
  const problems = [];
  const listed = rows.map((r) => r.name).sort();
  if (listed.join() !== [...names].sort().join()) problems.push(`SHA256SUMS names ${listed.join(', ')}; expected ${[...names].sort().join(', ')}`);
  const others = readdirSync(dir).filter((f) => f !== 'SHA256SUMS' && !names.includes(f));
  if (others.length) problems.push(`not part of a release: ${others.join(', ')}`);
  for (const r of rows) {
    const f = path.join(dir, r.name);
    if (!existsSync(f)) problems.push(`${r.name}: listed in SHA256SUMS but missing`);
    else if ((await sha256File(f)) !== r.sha256) problems.push(`${r.name}: sha256 does not match SHA256SUMS`);
  }
  return problems;
}

async function checkSignature(file, version, platform) {
  const sign = await machoSign();
  const v = sign.verifyAdHoc(executableOf(file, version, platform));
  return v.ok ? [] : [`${path.basename(file)}: ad-hoc signature: ${(v.problems ?? []).join('; ') || 'not ok'}`];
}

async function main() {
  const argv = process.argv.slice(2);
  const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--only');
  if (!dir) throw new Error('usage: node install/release/verify.mjs RELEASE_DIR [--only PLATFORM,...]');
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const platforms = parseOnly(only);
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = platforms.map((p) => archiveName(version, p));
  const problems = await checkSums(dir, names);
  for (const platform of platforms) {
    const file = path.join(dir, archiveName(version, platform));
    if (!existsSync(file)) continue; // already said by checkSums
    const found = checkArchive(file, { version, platform, root });
    if (platform.startsWith('darwin-') && !found.length) found.push(...(await checkSignature(file, version, platform)));
    problems.push(...found.map((p) => `${path.basename(file)}: ${p}`));
    process.stdout.write(`${found.length ? 'FAIL' : 'ok  '}  ${path.basename(file)}${platform.startsWith('darwin-') ? ' (ad-hoc signature checked)' : ''}\n`);
  }
  if (problems.length) throw new Error(`verify: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.stdout.write(`verify: SHA256SUMS and ${platforms.length} archive(s) in ${dir} are as a release should be\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
