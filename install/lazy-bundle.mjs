// @ts-check
// One executable = one CommonJS file, but only the hot path costs parse time. V8 pre-parses
// every function in a script it compiles: the 200 KB credential bundle took ~7 ms to compile
// although a cached `get` runs 5 % of it (README.md, "Speed"). So every dynamic
// `import('./x.js')` of our own code marks a cold boundary: esbuild bundles what lies behind
// it separately, and the hot bundle embeds that code as one string literal (scanning a string
// is cheap) which is compiled with vm only when an import() first needs it. Large cold code is
// embedded deflated (base64): 200 KB of string still cost ~0.7 ms to scan, 65 KB ~0.3 ms, and
// inflating it (~1 ms + loading zlib ~2 ms) is paid only on a cold path.
//
// Modules the hot bundle already has are not copied into the cold code: the cold code gets
// them from the hot bundle (`__hot`), so classes (ArtifactsError for `instanceof`) and module
// state stay single. Everything else behaves as esbuild's own lazy import() would.
//
// The text this generates (the loader, the cold chunks' entry and shared modules) is made by
// the pure functions in lazy-loader.mjs; this file runs esbuild's three passes.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { coldEntrySource, coldFileModule, coldStubSource, embedChunk, groupTargets } from './lazy-loader.mjs';
import { hotModules, loaderPath, loaderSource, ours, output, repoKey, sharedModuleSource } from './lazy-loader.mjs';

/** @typedef {import('esbuild').BuildOptions} BuildOptions */
/** @typedef {import('esbuild').Plugin} Plugin */
/** @typedef {import('esbuild').PluginBuild} PluginBuild */
/** @typedef {import('./lazy-loader.mjs').Chunk} Chunk */

/**
 * esbuild options for the bundles; `overrides` lets the single-executable build change a few.
 * @param {string} root
 * @param {BuildOptions} [overrides]
 * @returns {BuildOptions}
 */
export function bundleOptions(root, overrides = {}) {
  return {
    absWorkingDir: root,
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
    // Bundled CommonJS has no import.meta; a getter computes the file URL only if used.
    define: {
      'import.meta.url': '__import_meta.url',
      __VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version),
    },
    inject: [path.join(root, 'install', 'import-meta-url.js')],
    logLevel: 'warning',
    ...overrides,
  };
}

const coldNs = 'lazy-cold';
const sharedNs = 'lazy-shared';

/**
 * Resolves like esbuild itself, for the plugins below (which see raw import paths).
 * @param {PluginBuild} b
 * @param {import('esbuild').OnResolveArgs} args
 */
async function resolveWith(b, args) {
  if (args.pluginData?.lazyInner) return undefined;
  const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { lazyInner: true } });
  return r.errors.length ? undefined : r;
}

/**
 * Builds `entry` to CommonJS with its cold code embedded: `{ code, cold, maps }`, where `cold` is
 * the embedded cold source (for the benchmark), if any, and `maps` the source maps of the hot
 * bundle and of each cold chunk (`maps.cold[i]` is chunk `#cold<i>`) when options ask for
 * `sourcemap: 'external'` with an `outfile` (no sourceMappingURL comment is added: Node 20
 * applies no map to vm-compiled code, and the hot bundle should not pay for one). `options` are the esbuild options shared
 * by both halves (platform, define, external, …). `groupOf(target)` puts cold targets into
 * separately loaded chunks; modules used by two chunks are copied into both, so only targets
 * that never load in the same process (e.g. different tools of one binary) may differ.
 *
 * `coldFiles: true` (the Bun single executable, install/sea.mjs): the cold chunks are not
 * embedded as strings but returned as `coldFiles` modules (`cold<i>.cjs`) for the caller to
 * compile beside the entry, which requires them from its own directory. Bun compiles them to
 * bytecode at build time too, where vm-compiled source would be parsed and compiled on every
 * cold start (the remote helper is a cold chunk and starts on every push).
 *
 * @param {string} root
 * @param {string} entry
 * @param {BuildOptions} options
 * @param {(key: string) => string} [groupOf]
 * @param {{ coldFiles?: boolean }} [flags]
 * @returns {Promise<{ code: string, cold: string | undefined, maps: { hot: string | undefined, cold: (string | undefined)[] },
 *   coldFiles?: { name: string, code: string }[] }>}
 */
export async function lazyBundle(root, entry, options, groupOf = () => 'cold', { coldFiles = false } = {}) {
  // Pass 1: the hot module graph, with every dynamic import of our own code stubbed out.
  /** @type {Map<string, string>} */
  const coldTargets = new Map();
  const analyse = [stubCold(root, coldTargets, 'analyse')];
  const analysis = await build({ ...options, entryPoints: [entry], write: false, metafile: true, minify: false, plugins: analyse });
  if (coldTargets.size === 0) {
    const only = output(await build({ ...options, entryPoints: [entry], write: false }));
    return { code: only.text, cold: undefined, maps: { hot: only.map, cold: [] } };
  }
  const hot = hotModules(root, /** @type {import('esbuild').Metafile} */ (analysis.metafile));
  const exportsOf = await exportNames(root, hot);

  // Pass 2: the cold code, one CommonJS bundle per group whose exports are thunks per target.
  /** @type {Chunk[]} */
  const chunks = [];
  /** @type {Set<string>} */
  const usedShared = new Set();
  for (const [g, targets] of groupTargets(coldTargets, groupOf)) {
    const { text: source, map } = await coldBundle(targets, options, root, hot, exportsOf, usedShared);
    chunks.push(embedChunk(g, targets, source, map, coldFiles));
  }

  // Pass 3: the hot bundle with the loader, which owns the embedded cold sources.
  const shared = [...hot.values()]
    .filter((f) => usedShared.has(repoKey(root, f)))
    .map((f) => ({ file: f, key: repoKey(root, f), exports: /** @type {string[]} */ (exportsOf.get(repoKey(root, f))) }));
  const loader = loaderSource(shared, chunks, coldFiles);
  const plugins = [stubCold(root, coldTargets, 'final'), loaderPlugin(root, loader)];
  const out = output(await build({ ...options, entryPoints: [entry], write: false, plugins }));
  return {
    code: out.text,
    cold: chunks.map((c) => c.source).join('\n'),
    maps: { hot: out.map, cold: chunks.map((c) => c.map) },
    // coldFiles: each chunk as a module of its own, `cold<i>.cjs`, exporting the same wrapper.
    coldFiles: coldFiles ? chunks.map((c, i) => ({ name: `cold${i}.cjs`, code: coldFileModule(c.source) })) : [],
  };
}

/**
 * Every dynamic import of our own code becomes a stub, its target recorded in `coldTargets` (key → file):
 * empty exports while analysing, the loader's `loadCold(key)` in the final bundle.
 * @param {string} root
 * @param {Map<string, string>} coldTargets
 * @param {'analyse' | 'final'} mode
 * @returns {Plugin}
 */
function stubCold(root, coldTargets, mode) {
  return {
    name: 'lazy-cold-stub',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const r = await resolveWith(b, args);
        if (!r || !ours(root, r.path)) return undefined;
        coldTargets.set(repoKey(root, r.path), r.path);
        return { path: repoKey(root, r.path), namespace: coldNs };
      });
      b.onLoad({ filter: /.*/, namespace: coldNs }, (args) => ({
        contents: coldStubSource(mode, args.path),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/**
 * The export names of each shared module (by key), so the cold side can re-export them by name.
 * @param {string} root
 * @param {Map<string, string>} hot
 * @returns {Promise<Map<string, string[]>>}
 */
async function exportNames(root, hot) {
  const exportsOf = new Map();
  const names = await build({
    absWorkingDir: root,
    entryPoints: [...hot.values()],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: '/lazy-out',
    platform: 'node',
    logLevel: 'silent',
  });
  for (const out of Object.values(names.metafile.outputs)) {
    if (out.entryPoint) exportsOf.set(repoKey(root, path.resolve(root, out.entryPoint)), out.exports);
  }
  return exportsOf;
}

/**
 * The loader module, resolved by its bare name from the stubs.
 * @param {string} root
 * @param {string} loader
 * @returns {Plugin}
 */
function loaderPlugin(root, loader) {
  return {
    name: 'lazy-loader',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${loaderPath}$`) }, () => ({ path: loaderPath, namespace: 'lazy-loader' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-loader' }, () => ({ contents: loader, loader: 'js', resolveDir: root }));
    },
  };
}

/**
 * One cold chunk: the targets' code, with modules the hot bundle has taken from `__hot`.
 * @param {[key: string, file: string][]} targets
 * @param {BuildOptions} options
 * @param {string} root
 * @param {Map<string, string>} hot
 * @param {Map<string, string[]>} exportsOf
 * @param {Set<string>} usedShared
 */
async function coldBundle(targets, options, root, hot, exportsOf, usedShared) {
  /** @type {Plugin} */
  const fromHot = {
    name: 'lazy-shared',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.namespace === sharedNs) return undefined;
        const r = await resolveWith(b, args);
        if (!r || r.external || !hot.has(repoKey(root, r.path))) return undefined;
        return { path: repoKey(root, r.path), namespace: sharedNs };
      });
      b.onLoad({ filter: /.*/, namespace: sharedNs }, (args) => {
        usedShared.add(args.path);
        return { contents: sharedModuleSource(args.path, exportsOf.get(args.path) ?? []), loader: 'js' };
      });
    },
  };
  const stdin = { contents: coldEntrySource(targets), resolveDir: root, loader: /** @type {const} */ ('js'), sourcefile: 'cold-entry.js' };
  return output(await build({ ...options, banner: undefined, stdin, write: false, plugins: [fromHot] }));
}
