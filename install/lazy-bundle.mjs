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
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

/** esbuild options for the bundles; `overrides` lets the single-executable build change a few. */
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
const loaderPath = 'lazy-cold-loader';
/** Cold code larger than this is embedded deflated (bytes). */
const deflateAbove = 32 * 1024;

/** Resolves like esbuild itself, for the plugins below (which see raw import paths). */
async function resolveWith(b, args) {
  if (args.pluginData?.lazyInner) return undefined;
  const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { lazyInner: true } });
  return r.errors.length ? undefined : r;
}

/** The code and, when options ask for `sourcemap: 'external'`, the map of one esbuild output. */
function output(result) {
  const js = result.outputFiles.find((f) => !f.path.endsWith('.map'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  return { text: js.text, map: map?.text };
}

const ours = (root, file) => !path.relative(root, file).startsWith('..') && !file.includes(`${path.sep}node_modules${path.sep}`);

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
 */
export async function lazyBundle(root, entry, options, groupOf = () => 'cold', { coldFiles = false } = {}) {
  const key = (file) => path.relative(root, file).split(path.sep).join('/');

  // Pass 1: the hot module graph, with every dynamic import of our own code stubbed out.
  const coldTargets = new Map();
  const stubCold = (mode) => ({
    name: 'lazy-cold-stub',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const r = await resolveWith(b, args);
        if (!r || !ours(root, r.path)) return undefined;
        coldTargets.set(key(r.path), r.path);
        return { path: key(r.path), namespace: coldNs };
      });
      b.onLoad({ filter: /.*/, namespace: coldNs }, (args) => ({
        contents: mode === 'analyse' ? 'module.exports = {};' : `module.exports = require(${JSON.stringify(loaderPath)}).loadCold(${JSON.stringify(args.path)});`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  });
  const analysis = await build({ ...options, entryPoints: [entry], write: false, metafile: true, minify: false, plugins: [stubCold('analyse')] });
  if (coldTargets.size === 0) {
    const only = output(await build({ ...options, entryPoints: [entry], write: false }));
    return { code: only.text, cold: undefined, maps: { hot: only.map, cold: [] } };
  }

  const hotFiles = Object.keys(analysis.metafile.inputs)
    .filter((p) => !p.includes(':'))
    .map((p) => path.resolve(root, p))
    .filter((p) => ours(root, p));
  const hot = new Map(hotFiles.map((f) => [key(f), f]));

  // The export names of each shared module, so the cold side can re-export them by name.
  const exportsOf = new Map();
  const names = await build({ absWorkingDir: root, entryPoints: [...hot.values()], bundle: false, write: false, metafile: true, format: 'esm', outdir: '/lazy-out', platform: 'node', logLevel: 'silent' });
  for (const out of Object.values(names.metafile.outputs)) {
    if (out.entryPoint) exportsOf.set(key(path.resolve(root, out.entryPoint)), out.exports);
  }

  // Pass 2: the cold code, one CommonJS bundle per group whose exports are thunks per target.
  const groups = new Map();
  for (const [k, file] of coldTargets) {
    const g = groupOf(k);
    groups.set(g, [...(groups.get(g) ?? []), [k, file]]);
  }
  const chunks = [];
  const usedShared = new Set();
  for (const [g, targets] of groups) {
    const { text: source, map } = await coldBundle(targets, options, root, hot, exportsOf, key, usedShared);
    const deflate = !coldFiles && source.length > deflateAbove;
    chunks.push({ group: g, keys: targets.map(([k]) => k), source, map, deflate, embedded: deflate ? deflateRawSync(source, { level: 9 }).toString('base64') : source });
  }

  // Pass 3: the hot bundle with the loader, which owns the embedded cold sources. It names
  // the shared exports as plain imports used inside loadCold(): namespace objects (import *)
  // would cost every start-up ~0.5 ms of getters for nothing.
  const shared = [...hot.values()].filter((f) => usedShared.has(key(f)));
  const binding = (i, n) => `m${i}_${n}`;
  const loader = [
    ...shared.map((f, i) => `import { ${exportsOf.get(key(f)).map((n) => `${n} as ${binding(i, n)}`).join(', ')} } from ${JSON.stringify(f)};`),
    `const chunkOf = ${JSON.stringify(Object.fromEntries(chunks.flatMap((c, i) => c.keys.map((k) => [k, i]))))};`,
    `const sources = [${coldFiles ? '' : chunks.map((c) => JSON.stringify(c.embedded)).join(', ')}];`,
    `const deflated = ${JSON.stringify(chunks.map((c) => c.deflate))};`,
    'const loaded = [];',
    '/** Compiles a cold chunk once, giving it the modules the hot bundle already has. */',
    'export function loadCold(key) {',
    '  const i = chunkOf[key];',
    '  if (!loaded[i]) {',
    `    const hotModules = { ${shared.map((f, i) => `${JSON.stringify(key(f))}: { ${exportsOf.get(key(f)).map((n) => `${n}: ${binding(i, n)}`).join(', ')} }`).join(', ')} };`,
    ...(coldFiles
      ? ["    const wrapper = require(require('node:path').join(require('node:path').dirname(process.argv[1]), 'cold' + i + '.cjs'));"]
      : [
          "    const source = deflated[i] ? require('node:zlib').inflateRawSync(Buffer.from(sources[i], 'base64')).toString() : sources[i];",
          "    const wrapper = require('node:vm').runInThisContext('(function (exports, require, module, __filename, __dirname, __hot) {\\n' + source + '\\n})', { filename: `${__filename}#cold${i}` });",
        ]),
    '    const module = { exports: {} };',
    '    wrapper.call(module.exports, module.exports, require, module, __filename, __dirname, hotModules);',
    '    loaded[i] = module.exports;',
    '  }',
    '  return loaded[i][key]();',
    '}',
  ].join('\n');
  const final = await build({
    ...options,
    entryPoints: [entry],
    write: false,
    plugins: [
      stubCold('final'),
      {
        name: 'lazy-loader',
        setup(b) {
          b.onResolve({ filter: new RegExp(`^${loaderPath}$`) }, () => ({ path: loaderPath, namespace: 'lazy-loader' }));
          b.onLoad({ filter: /.*/, namespace: 'lazy-loader' }, () => ({ contents: loader, loader: 'js', resolveDir: root }));
        },
      },
    ],
  });
  const out = output(final);
  return {
    code: out.text,
    cold: chunks.map((c) => c.source).join('\n'),
    maps: { hot: out.map, cold: chunks.map((c) => c.map) },
    // coldFiles: each chunk as a module of its own, `cold<i>.cjs`, exporting the same wrapper.
    coldFiles: coldFiles ? chunks.map((c, i) => ({ name: `cold${i}.cjs`, code: `module.exports = function (exports, require, module, __filename, __dirname, __hot) {\n${c.source}\n};\n` })) : [],
  };
}

/** One cold chunk: the targets' code, with modules the hot bundle has taken from `__hot`. */
async function coldBundle(targets, options, root, hot, exportsOf, key, usedShared) {
  const entry = targets.map(([k, file]) => `  ${JSON.stringify(k)}: () => require(${JSON.stringify(file)}),`).join('\n');
  const result = await build({
    ...options,
    banner: undefined,
    stdin: { contents: `module.exports = {\n${entry}\n};`, resolveDir: root, loader: 'js', sourcefile: 'cold-entry.js' },
    write: false,
    plugins: [
      {
        name: 'lazy-shared',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.kind === 'entry-point' || args.namespace === sharedNs) return undefined;
            const r = await resolveWith(b, args);
            if (!r || r.external || !hot.has(key(r.path))) return undefined;
            return { path: key(r.path), namespace: sharedNs };
          });
          b.onLoad({ filter: /.*/, namespace: sharedNs }, (args) => {
            const list = exportsOf.get(args.path) ?? [];
            usedShared.add(args.path);
            const lines = list.map((n) => (n === 'default' ? 'export default __m.default;' : `export const ${n} = __m.${n};`));
            return { contents: `const __m = __hot[${JSON.stringify(args.path)}];\n${lines.join('\n')}\n`, loader: 'js' };
          });
        },
      },
    ],
  });
  return output(result);
}
