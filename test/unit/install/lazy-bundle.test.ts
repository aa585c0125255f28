// The pure half of install/lazy-bundle.mjs (install/lazy-loader.mjs): keys, what counts as our
// code, chunks by group, embedding, and the generated loader, run for real on cold sources
// (embedded, embedded deflated, and as files beside the entry) the way a bundle runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  coldEntrySource,
  coldFileModule,
  coldStubSource,
  deflateAbove,
  embedChunk,
  groupTargets,
  hotModules,
  loaderSource,
  ours,
  repoKey,
  sharedModuleSource,
  type Chunk,
} from '../../../install/lazy-loader.mjs';

// Resolved, as esbuild's paths are: on Windows that adds the drive (Z:\repo under Wine).
const root = path.resolve(path.sep, 'repo');
const at = (...p: string[]) => path.join(root, ...p);

describe('repoKey and ours', () => {
  it.each([
    { file: at('src', 'a.ts'), key: 'src/a.ts', ours: true },
    { file: at('cmd', 'git-remote-artifacts.ts'), key: 'cmd/git-remote-artifacts.ts', ours: true },
    { file: at('node_modules', 'commander', 'index.js'), key: 'node_modules/commander/index.js', ours: false },
    { file: path.resolve(path.sep, 'elsewhere', 'x.ts'), key: '../elsewhere/x.ts', ours: false },
    { file: path.resolve(path.sep, 'repo2', 'x.ts'), key: '../repo2/x.ts', ours: false },
  ])('$file: key $key, ours $ours', (row) => {
    expect(repoKey(root, row.file)).toBe(row.key);
    expect(ours(root, row.file)).toBe(row.ours);
  });
});

describe('groupTargets', () => {
  const byTool = (k: string) => (k.startsWith('cmd/git-remote') ? 'remote' : 'credential');
  it.each([
    { name: 'no targets', targets: [], groupOf: byTool, want: [] },
    { name: 'one group by default', targets: ['src/a.ts', 'src/b.ts'], groupOf: () => 'cold', want: [['cold', ['src/a.ts', 'src/b.ts']]] },
    {
      name: 'groups in first-seen order, targets in order',
      targets: ['src/cli/x.ts', 'cmd/git-remote-artifacts.ts', 'src/y.ts'],
      groupOf: byTool,
      want: [
        ['credential', ['src/cli/x.ts', 'src/y.ts']],
        ['remote', ['cmd/git-remote-artifacts.ts']],
      ],
    },
  ])('$name', ({ targets, groupOf, want }) => {
    const groups = groupTargets(new Map(targets.map((k) => [k, at(k)])), groupOf);
    expect([...groups].map(([g, t]) => [g, t.map(([k]) => k)])).toEqual(want);
    for (const t of groups.values()) for (const [k, file] of t) expect(file).toBe(at(k));
  });
});

describe('embedChunk', () => {
  const big = `/* ${'x'.repeat(deflateAbove)} */`;
  it.each([
    { name: 'small: as it is', source: 'module.exports = {};', coldFiles: false, deflate: false },
    { name: 'exactly the limit: as it is', source: 'y'.repeat(deflateAbove), coldFiles: false, deflate: false },
    { name: 'larger: deflated, base64', source: big, coldFiles: false, deflate: true },
    { name: 'larger but a file of its own: as it is', source: big, coldFiles: true, deflate: false },
  ])('$name', ({ source, coldFiles, deflate }) => {
    const c = embedChunk('g', [['src/a.ts', at('src/a.ts')]], source, 'map', coldFiles);
    expect({ group: c.group, keys: c.keys, source: c.source, map: c.map, deflate: c.deflate }).toEqual({
      group: 'g',
      keys: ['src/a.ts'],
      source,
      map: 'map',
      deflate,
    });
    expect(deflate ? inflateRawSync(Buffer.from(c.embedded, 'base64')).toString() : c.embedded).toBe(source);
    if (deflate) expect(c.embedded.length).toBeLessThan(source.length / 10);
  });
});

describe('the generated module texts', () => {
  it.each([
    { name: 'stub while analysing', text: coldStubSource('analyse', 'src/a.ts'), want: 'module.exports = {};' },
    { name: 'stub in the final bundle', text: coldStubSource('final', 'src/a.ts'), want: 'module.exports = require("lazy-cold-loader").loadCold("src/a.ts");' },
    {
      name: 'cold entry: a thunk per target',
      text: coldEntrySource([
        ['src/a.ts', '/repo/src/a.ts'],
        ['src/b.ts', '/repo/src/b.ts'],
      ]),
      want: 'module.exports = {\n  "src/a.ts": () => require("/repo/src/a.ts"),\n  "src/b.ts": () => require("/repo/src/b.ts"),\n};',
    },
    {
      name: 'shared module: exports from __hot, default included',
      text: sharedModuleSource('src/errors.ts', ['ArtifactsError', 'default']),
      want: 'const __m = __hot["src/errors.ts"];\nexport const ArtifactsError = __m.ArtifactsError;\nexport default __m.default;\n',
    },
    { name: 'shared module without exports', text: sharedModuleSource('src/x.ts', []), want: 'const __m = __hot["src/x.ts"];\n\n' },
    {
      name: 'cold file: the wrapper as a module',
      text: coldFileModule('exports.a = 1;'),
      want: 'module.exports = function (exports, require, module, __filename, __dirname, __hot) {\nexports.a = 1;\n};\n',
    },
  ])('$name', ({ text, want }) => expect(text).toBe(want));

  it('hotModules: our own inputs of the analysis, by key (no namespaced or dependency inputs)', () => {
    const inputs = { 'cmd/x.ts': {}, 'src/a.ts': {}, 'lazy-cold:src/b.ts': {}, 'node_modules/commander/index.js': {} };
    const hot = hotModules(root, { inputs, outputs: {} } as never);
    expect([...hot]).toEqual([
      ['cmd/x.ts', at('cmd', 'x.ts')],
      ['src/a.ts', at('src', 'a.ts')],
    ]);
  });

  it('the loader imports each shared export once, under a binding per module, and hands them to cold code by key', () => {
    const shared = [
      { file: '/repo/src/errors.ts', key: 'src/errors.ts', exports: ['ArtifactsError', 'isArtifactsError'] },
      { file: '/repo/src/io.ts', key: 'src/io.ts', exports: ['default'] },
    ];
    const lines = loaderSource(shared, [], false).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'import { ArtifactsError as m0_ArtifactsError, isArtifactsError as m0_isArtifactsError } from "/repo/src/errors.ts";',
      'import { default as m1_default } from "/repo/src/io.ts";',
    ]);
    expect(lines).toContain(
      '    const hotModules = { "src/errors.ts": { ArtifactsError: m0_ArtifactsError, isArtifactsError: m0_isArtifactsError }, "src/io.ts": { default: m1_default } };',
    );
  });
});

describe('loadCold, run as the hot bundle runs it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lazy-bundle-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const requireHere = createRequire(import.meta.url);
  // Each chunk counts its compilations and returns what it was given from the hot bundle.
  const chunkSource = (name: string, pad = '') =>
    `${pad}globalThis.__lazyCompiles = (globalThis.__lazyCompiles ?? 0) + 1;\n` +
    `module.exports = { ${JSON.stringify(`src/${name}.ts`)}: () => ({ name: ${JSON.stringify(name)}, hot: __hot }) };`;
  /** The loader as a function of the names a CommonJS bundle has; `loadCold` comes back. */
  const loadColdOf = (chunks: Chunk[], coldFiles: boolean, main: string) => {
    const body = loaderSource([], chunks, coldFiles).replace('export function loadCold', 'function loadCold');
    const make = new Function('require', '__filename', '__dirname', 'process', `${body}\nreturn loadCold;`);
    return make(requireHere, main, path.dirname(main), { argv: [process.execPath, main] }) as (key: string) => { name: string; hot: unknown };
  };

  it.each([
    { name: 'embedded as text', coldFiles: false, pad: '', deflate: false },
    { name: 'embedded deflated', coldFiles: false, pad: `/* ${'z'.repeat(deflateAbove)} */\n`, deflate: true },
    { name: 'as files beside the entry', coldFiles: true, pad: `/* ${'z'.repeat(deflateAbove)} */\n`, deflate: false },
  ])('$name: each chunk compiled once, on its first import', ({ coldFiles, pad, deflate }) => {
    const main = path.join(dir, `main-${coldFiles ? 'files' : deflate ? 'deflated' : 'text'}`, 'main.cjs');
    const chunks = ['a', 'b'].map((n) => embedChunk(n, [[`src/${n}.ts`, at(`src/${n}.ts`)]], chunkSource(n, pad), undefined, coldFiles));
    expect(chunks.map((c) => c.deflate)).toEqual([deflate, deflate]);
    if (coldFiles) {
      requireHere('node:fs').mkdirSync(path.dirname(main), { recursive: true });
      chunks.forEach((c, i) => writeFileSync(path.join(path.dirname(main), `cold${i}.cjs`), coldFileModule(c.source)));
    }
    const g = globalThis as { __lazyCompiles?: number };
    g.__lazyCompiles = 0;
    const loadCold = loadColdOf(chunks, coldFiles, main);
    expect(g.__lazyCompiles).toBe(0);
    expect(loadCold('src/b.ts')).toEqual({ name: 'b', hot: {} });
    expect(g.__lazyCompiles).toBe(1);
    expect(loadCold('src/a.ts').name).toBe('a');
    expect(loadCold('src/b.ts').name).toBe('b');
    expect(g.__lazyCompiles).toBe(2);
  });
});
