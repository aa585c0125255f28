// Builds the single executable sea/git-credential-artifacts with `bun build --compile`
// (https://bun.sh/docs/bundler/executables). Bun comes from the npm registry as a dev
// dependency (the `bun` package, whose postinstall links the platform's @oven/bun-* binary;
// nothing is downloaded for the host target). One binary holds all three tools and picks one by
// the name it was started as (cmd/sea.ts); sea/git-remote-artifacts and sea/artifacts-emulator
// are symlinks to it. The keychain addon ships beside it as keyring.node
// (install/sea-keyring.cjs loads it from there).
//
//   node install/sea.mjs [--out DIR] [--target bun-linux-x64|bun-linux-arm64|bun-darwin-arm64|bun-darwin-x64|bun-windows-x64]
//                        [--runtime BUN_BINARY_OF_TARGET] [--keyring KEYRING_NODE_OF_TARGET]
//
// --runtime and --keyring name the target's runtime and addon explicitly (the release build
// passes the ones package-lock.json pins, install/release/runtimes.mjs): Bun then compiles with
// --compile-executable-path and downloads nothing.
//
// Why Bun and not Node's own SEA: with --bytecode (JavaScriptCore bytecode compiled at build
// time) a cached `get` starts in well under half of `node -e 0`, and the binary does not embed
// an end-of-life Node (README.md, "Speed"). A target other than the host's needs that target's
// runtime and addon: without --runtime Bun would try to download it, so cross builds go through
// `npm run release` (install/release/main.mjs), which passes the pinned ones.
//
// The entry given to Bun is the credential helper's hot bundle from install/lazy-bundle.mjs;
// the remote helper, the emulator and the credential helper's cold code are embedded chunks,
// compiled only by the tool that needs them, so a cached `get` loads only its own code.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, lazyBundle } from './lazy-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const out = path.resolve(value('--out') ?? path.join(root, 'sea'));
const hostTarget = `bun-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
const target = value('--target') ?? hostTarget;
const [, os, arch] = /^bun-(linux|darwin|windows)-(x64|arm64)$/.exec(target) ?? [];
if (!os) throw new Error(`sea: unknown --target ${target}`);
const exe = os === 'windows' ? '.exe' : '';
const tool = 'git-credential-artifacts';
const siblings = ['git-remote-artifacts', 'artifacts-emulator'];
const require = createRequire(import.meta.url);
const say = (s) => process.stderr.write(`sea: ${s}\n`);

/** The bun binary from node_modules: the `bun` package's own, or the platform package's. */
function bunBinary() {
  const candidates = [];
  try {
    candidates.push(path.join(path.dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe'));
  } catch {}
  const platform = `@oven/bun-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch === 'arm64' ? 'aarch64' : process.arch}`;
  try {
    candidates.push(path.join(path.dirname(require.resolve(`${platform}/package.json`)), 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun'));
  } catch {}
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {}
  }
  throw new Error(`sea: no working bun in node_modules (tried ${candidates.join(', ') || 'bun, ' + platform}); run npm ci`);
}

/** The prebuilt keychain addon of the target (an optional dependency of @napi-rs/keyring). */
function keyringAddon() {
  if (value('--keyring')) return path.resolve(value('--keyring'));
  const triple = `${os === 'windows' ? 'win32' : os}-${arch}${os === 'linux' ? '-gnu' : os === 'windows' ? '-msvc' : ''}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`@napi-rs/keyring-${triple}/package.json`));
  } catch {
    throw new Error(`sea: @napi-rs/keyring-${triple} is not installed (npm installs only the host's; add it for a cross build)`);
  }
  return path.join(dir, `keyring.${triple}.node`);
}

const work = path.join(out, 'build');
rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. The script. Each tool's cold code is its own chunk: they never share a process.
const group = (key) => (key.startsWith('cmd/git-remote-artifacts') ? 'remote' : key.startsWith('cmd/artifacts-emulator') ? 'emulator' : 'credential');
const options = bundleOptions(root, { banner: undefined, external: [], alias: { '@napi-rs/keyring': './install/sea-keyring.cjs' } });
// Each chunk is a module of its own that Bun compiles to bytecode beside the entry (coldFiles).
const { code, coldFiles } = await lazyBundle(root, path.join(root, 'cmd', 'sea.ts'), options, group, { coldFiles: true });
const main = path.join(work, 'main.cjs');
writeFileSync(main, code);
for (const f of coldFiles) writeFileSync(path.join(work, f.name), f.code);
say(`script ${(code.length / 1024).toFixed(0)} KB, cold chunks ${coldFiles.map((f) => `${(f.code.length / 1024).toFixed(0)} KB`).join(', ')}`);

// 2. The binary. --format=cjs: Bun's ESM output hoists every built-in import to the top, which
// cost a cached `get` 4-7 ms; --bytecode is what makes start-up fast (README.md, "Speed").
// By default a Bun executable reads .env and bunfig.toml from its working directory, and git
// starts us inside the repository: a cloned repo's .env would set our environment (API token,
// endpoint) and its bunfig.toml `preload` would run its code as us. So no autoloading at all
// (https://bun.sh/docs/bundler/executables; test/e2e/security/hostile-repo.test.ts).
const noAutoload = ['--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig', '--no-compile-autoload-tsconfig', '--no-compile-autoload-package-json'];
const bin = path.join(out, tool + exe);
const bun = bunBinary();
const runtime = value('--runtime') ? [`--compile-executable-path=${path.resolve(value('--runtime'))}`] : [];
const inputs = [main, ...coldFiles.map((f) => path.join(work, f.name))];
const flags = ['--compile', ...noAutoload, ...runtime, '--minify', '--bytecode', '--format=cjs', `--target=${target}`];
execFileSync(bun, ['build', ...flags, ...inputs, '--outfile', bin], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

// 3. The keychain addon beside it, and the other tools' names.
copyFileSync(keyringAddon(), path.join(out, 'keyring.node'));
for (const name of siblings) {
  if (os === 'windows') copyFileSync(bin, path.join(out, name + exe));
  else symlinkSync(tool, path.join(out, name));
}
rmSync(work, { recursive: true, force: true });

// 4. Prove it runs and its addon loads (only a host build can run here).
if (target === hostTarget && existsSync(bin)) {
  process.stderr.write(execFileSync(bin, ['--sea-check'], { encoding: 'utf8' }).trimEnd().replace(/^/gm, 'sea:   ') + '\n');
}
say(`built ${bin} (+ ${siblings.join(', ')}, keyring.node) for ${target} with bun ${execFileSync(bun, ['--version'], { encoding: 'utf8' }).trim()}`);
