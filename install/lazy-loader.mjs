// @ts-check
// The pure half of lazy-bundle.mjs: the text it hands esbuild and embeds (the hot bundle's
// loader, each cold chunk's entry, the stand-ins for modules the hot bundle already has), how
// cold targets become chunks, and what it reads from esbuild's results. Nothing here runs
// esbuild, so test/unit/install/lazy-bundle.test.ts runs it as a table.
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

/** The bare name the stubs require the loader by. */
export const loaderPath = 'lazy-cold-loader';

/**
 * What a dynamic import of cold code `key` becomes: while analysing the hot graph, nothing; in
 * the final hot bundle, the loader's loadCold(key).
 * @param {'analyse' | 'final'} mode
 * @param {string} key
 */
export const coldStubSource = (mode, key) =>
  mode === 'analyse' ? 'module.exports = {};' : `module.exports = require(${JSON.stringify(loaderPath)}).loadCold(${JSON.stringify(key)});`;

/** Cold code larger than this is embedded deflated (bytes). */
export const deflateAbove = 32 * 1024;

/**
 * A cold chunk: the targets it holds (by key), its source and map, and the form it is embedded in.
 * @typedef {{ group: string, keys: string[], source: string, map: string | undefined, deflate: boolean, embedded: string }} Chunk
 */

/**
 * A module's key: its path from `root`, with `/` on every platform.
 * @param {string} root
 * @param {string} file
 */
export const repoKey = (root, file) => path.relative(root, file).split(path.sep).join('/');

/**
 * Whether `file` is our own code (under `root`, not a dependency): only that is split off cold.
 * @param {string} root
 * @param {string} file
 */
export const ours = (root, file) => !path.relative(root, file).startsWith('..') && !file.includes(`${path.sep}node_modules${path.sep}`);

/**
 * The code and, when options ask for `sourcemap: 'external'`, the map of one esbuild output.
 * @param {import('esbuild').BuildResult} result
 * @returns {{ text: string, map: string | undefined }}
 */
export function output(result) {
  const files = result.outputFiles ?? [];
  const js = files.find((f) => !f.path.endsWith('.map'));
  const map = files.find((f) => f.path.endsWith('.map'));
  return { text: /** @type {import('esbuild').OutputFile} */ (js).text, map: map?.text };
}

/**
 * Our own modules in the hot bundle (key → file), from the analysis pass's inputs.
 * @param {string} root
 * @param {import('esbuild').Metafile} metafile
 */
export function hotModules(root, metafile) {
  const files = Object.keys(metafile.inputs)
    .filter((p) => !p.includes(':'))
    .map((p) => path.resolve(root, p))
    .filter((p) => ours(root, p));
  return new Map(files.map((f) => [repoKey(root, f), f]));
}

/**
 * The cold targets (key → file) by `groupOf(key)`, groups and their targets in first-seen order.
 * @param {Map<string, string>} coldTargets
 * @param {(key: string) => string} groupOf
 * @returns {Map<string, [key: string, file: string][]>}
 */
export function groupTargets(coldTargets, groupOf) {
  /** @type {Map<string, [key: string, file: string][]>} */
  const groups = new Map();
  for (const [k, file] of coldTargets) {
    const g = groupOf(k);
    groups.set(g, [...(groups.get(g) ?? []), [k, file]]);
  }
  return groups;
}

/**
 * A chunk as the loader embeds it: deflated (base64) when large, unless it ships as a file of its own.
 * @param {string} group
 * @param {[key: string, file: string][]} targets
 * @param {string} source
 * @param {string | undefined} map
 * @param {boolean} coldFiles
 * @returns {Chunk}
 */
export function embedChunk(group, targets, source, map, coldFiles) {
  const deflate = !coldFiles && source.length > deflateAbove;
  const embedded = deflate ? deflateRawSync(source, { level: 9 }).toString('base64') : source;
  return { group, keys: targets.map(([k]) => k), source, map, deflate, embedded };
}

/**
 * A cold chunk's entry: its exports are thunks, one per target, that require the target.
 * @param {[key: string, file: string][]} targets
 */
export function coldEntrySource(targets) {
  const entry = targets.map(([k, file]) => `  ${JSON.stringify(k)}: () => require(${JSON.stringify(file)}),`).join('\n');
  return `module.exports = {\n${entry}\n};`;
}

/**
 * The stand-in, inside a cold chunk, for a module the hot bundle has: its exports taken from `__hot`.
 * @param {string} key
 * @param {readonly string[]} names
 */
export function sharedModuleSource(key, names) {
  const lines = names.map((n) => (n === 'default' ? 'export default __m.default;' : `export const ${n} = __m.${n};`));
  return `const __m = __hot[${JSON.stringify(key)}];\n${lines.join('\n')}\n`;
}

/**
 * A cold chunk as a module of its own (`coldFiles`), exporting the wrapper the loader calls.
 * @param {string} source
 */
export const coldFileModule = (source) => `module.exports = function (exports, require, module, __filename, __dirname, __hot) {\n${source}\n};\n`;

/**
 * The hot bundle's loader module, which owns the embedded cold sources. It names the shared
 * exports as plain imports used inside loadCold(): namespace objects (import *) would cost
 * every start-up ~0.5 ms of getters for nothing.
 * @param {{ file: string, key: string, exports: readonly string[] }[]} shared the hot modules cold code uses
 * @param {readonly Chunk[]} chunks
 * @param {boolean} coldFiles the chunks are files beside the entry (`cold<i>.cjs`), not embedded
 */
export function loaderSource(shared, chunks, coldFiles) {
  /** @param {number} i @param {string} n */
  const binding = (i, n) => `m${i}_${n}`;
  const hotModules = shared.map((m, i) => `${JSON.stringify(m.key)}: { ${m.exports.map((n) => `${n}: ${binding(i, n)}`).join(', ')} }`).join(', ');
  return [
    ...shared.map((m, i) => `import { ${m.exports.map((n) => `${n} as ${binding(i, n)}`).join(', ')} } from ${JSON.stringify(m.file)};`),
    `const chunkOf = ${JSON.stringify(Object.fromEntries(chunks.flatMap((c, i) => c.keys.map((k) => [k, i]))))};`,
    `const sources = [${coldFiles ? '' : chunks.map((c) => JSON.stringify(c.embedded)).join(', ')}];`,
    `const deflated = ${JSON.stringify(chunks.map((c) => c.deflate))};`,
    'const loaded = [];',
    '/** Compiles a cold chunk once, giving it the modules the hot bundle already has. */',
    'export function loadCold(key) {',
    '  const i = chunkOf[key];',
    '  if (!loaded[i]) {',
    `    const hotModules = { ${hotModules} };`,
    ...(coldFiles ? fromFile : fromString),
    '    const module = { exports: {} };',
    '    wrapper.call(module.exports, module.exports, require, module, __filename, __dirname, hotModules);',
    '    loaded[i] = module.exports;',
    '  }',
    '  return loaded[i][key]();',
    '}',
  ].join('\n');
}

// How loadCold gets chunk i's wrapper: required from beside the entry, or compiled from its embedded source.
const fromFile = ["    const wrapper = require(require('node:path').join(require('node:path').dirname(process.argv[1]), 'cold' + i + '.cjs'));"];
const fromString = [
  "    const source = deflated[i] ? require('node:zlib').inflateRawSync(Buffer.from(sources[i], 'base64')).toString() : sources[i];",
  '    const wrapper = require(\'node:vm\').runInThisContext(' +
    "'(function (exports, require, module, __filename, __dirname, __hot) {\\n' + source + '\\n})', { filename: `${__filename}#cold${i}` });",
];
