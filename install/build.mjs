// Bundles each executable into one CommonJS file under dist/ (esbuild). One file per
// executable keeps git's per-operation helper start-up to a single module load; CommonJS
// because Node's single-executable builds require a CommonJS main (shared toolchain.md §3).
import { build } from 'esbuild';
import { chmod, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = (await readdir(path.join(root, 'cmd'))).filter((f) => f.endsWith('.ts'));
await mkdir(path.join(root, 'dist'), { recursive: true });

await Promise.all(
  entries.map(async (file) => {
    const outfile = path.join(root, 'dist', file.replace(/\.ts$/, '.cjs'));
    await build({
      entryPoints: [path.join(root, 'cmd', file)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      banner: { js: '#!/usr/bin/env node' },
      // Native addon: loaded from node_modules (npm package) or beside the binary (SEA).
      external: ['@napi-rs/keyring'],
      define: { 'import.meta.url': '__import_meta_url' },
      inject: [path.join(root, 'install', 'import-meta-url.js')],
      logLevel: 'warning',
    });
    await chmod(outfile, 0o755);
  }),
);

// dist/bin/<name> -> ../<name>.cjs: a directory to put on PATH in tests and the demo, so git
// finds git-remote-artifacts by its exact name, as it does after `npm install -g`.
if (process.platform !== 'win32') {
  const binDir = path.join(root, 'dist', 'bin');
  await mkdir(binDir, { recursive: true });
  for (const file of entries) {
    const name = file.replace(/\.ts$/, '');
    await rm(path.join(binDir, name), { force: true });
    await symlink(`../${name}.cjs`, path.join(binDir, name));
  }
}
