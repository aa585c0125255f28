// Bundles each executable into one CommonJS file under dist/ (esbuild). One file per
// executable keeps git's per-operation helper start-up to a single module load; CommonJS
// because Node's single-executable builds require a CommonJS main
// (https://nodejs.org/api/single-executable-applications.html; docs/project-layout.md, "How
// the executables are built").
// Code behind a dynamic import() is embedded but compiled only when needed (lazy-bundle.mjs).
import { chmod, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, lazyBundle } from './lazy-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// cmd/sea.ts is the single executable's entry (install/sea.mjs), not an npm executable.
const entries = (await readdir(path.join(root, 'cmd'))).filter((f) => f.endsWith('.ts') && f !== 'sea.ts');
await mkdir(path.join(root, 'dist'), { recursive: true });

await Promise.all(
  entries.map(async (file) => {
    const outfile = path.join(root, 'dist', file.replace(/\.ts$/, '.cjs'));
    const { code, maps } = await lazyBundle(root, path.join(root, 'cmd', file), bundleOptions(root, { sourcemap: 'external', outfile }));
    await writeFile(outfile, code);
    await chmod(outfile, 0o755);
    // Source maps beside the bundle, read only by install/symbolicate.mjs when a bug report's
    // stack trace (minified positions) needs mapping back to src/.
    if (maps.hot) await writeFile(`${outfile}.map`, maps.hot);
    await Promise.all(maps.cold.map((map, i) => map && writeFile(`${outfile}.cold${i}.map`, map)));
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
