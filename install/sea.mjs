// Builds the single executable sea/git-credential-artifacts with Node's SEA support and
// postject (https://nodejs.org/api/single-executable-applications.html; docs/project-layout.md,
// "How the executables are built": `pkg` cannot work offline). One binary holds all three
// tools and picks one by the name it was started as (cmd/sea.ts); sea/git-remote-artifacts and
// sea/artifacts-emulator are symlinks to it. The keychain addon ships beside it as keyring.node.
//
//   node install/sea.mjs [--out DIR] [--no-code-cache] [--snapshot] [--strip]
//
// The main script is the credential helper's hot bundle (install/lazy-bundle.mjs): the
// remote helper, the emulator and the credential helper's cold code are embedded chunks,
// compiled only by the tool that needs them. V8's code cache for the main script is on by
// default (`useCodeCache`); the startup snapshot is not used (see README.md, "Speed").
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, lazyBundle } from './lazy-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const out = path.resolve(argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : path.join(root, 'sea'));
const tool = 'git-credential-artifacts';
const siblings = ['git-remote-artifacts', 'artifacts-emulator'];
const require = createRequire(import.meta.url);
const say = (s) => process.stderr.write(`sea: ${s}\n`);

const work = path.join(out, 'build');
rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. The main script. Each tool's cold code is its own chunk: they never share a process.
const group = (key) => (key.startsWith('cmd/git-remote-artifacts') ? 'remote' : key.startsWith('cmd/artifacts-emulator') ? 'emulator' : 'credential');
const options = bundleOptions(root, {
  banner: undefined,
  external: [],
  alias: { '@napi-rs/keyring': './install/sea-keyring.cjs' },
  define: { ...bundleOptions(root).define, __SEA_SNAPSHOT__: String(flag('--snapshot')) },
});
const { code } = await lazyBundle(root, path.join(root, 'cmd', 'sea.ts'), options, group);
const main = path.join(work, 'main.cjs');
writeFileSync(main, code);
say(`main script ${(code.length / 1024).toFixed(0)} KB`);

// 2. The blob, then the binary: a copy of this node with the blob injected.
const blob = path.join(work, 'sea.blob');
const config = { main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: !flag('--no-code-cache') && !flag('--snapshot'), useSnapshot: flag('--snapshot') };
writeFileSync(path.join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
execFileSync(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
const bin = path.join(out, tool);
copyFileSync(process.execPath, bin);
chmodSync(bin, 0o755);
if (flag('--strip')) execFileSync('strip', [bin]);
const { inject } = require('postject');
await inject(bin, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });

// 3. The keychain addon beside it, and the other tools' names.
const addon = require.resolve(`@napi-rs/keyring-${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}/package.json`);
const addonFile = path.join(path.dirname(addon), `keyring.${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}.node`);
copyFileSync(addonFile, path.join(out, 'keyring.node'));
for (const name of siblings) symlinkSync(tool, path.join(out, name));
rmSync(work, { recursive: true, force: true });

// 4. Prove it runs and its addon loads.
process.stderr.write(execFileSync(bin, ['--sea-check'], { encoding: 'utf8' }).trimEnd().replace(/^/gm, 'sea:   ') + '\n');
say(`built ${bin} (+ ${siblings.join(', ')}, keyring.node)`);
