// Issue 22: no new import cycle, between files or between the folders of src/ (docs/project-layout.md,
// "Which folder may import which": `import type`, `export … from` and `import()` count like any
// import). Any cycle that is not listed in knownCycles, or grows out of one, fails.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, folderGraph, folderOf, importGraph, importSpecifiers, resolveSpecifier, type ImportGraph } from '../../support/import-graph.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// None today: the router ⇄ rest-*.ts cycle ended when RouteContext and Reply moved to
// emulator/context.ts, and demo ⇄ emulator when cmd/artifacts-emulator.ts took over `demo`.
// An entry here is a cycle that may stay for now, with why.
const knownCycles: { files: string[][]; folders: string[][] } = { files: [], folders: [] };

/** docs/project-layout.md, "Which folder may import which": a folder imports only from lower layers. */
const layers: Record<string, number> = {
  'src/*': 0,
  'src/endpoint': 1,
  'src/token': 1,
  'src/store': 2,
  'src/gitconfig': 2,
  'src/controlplane': 2,
  'src/auth': 3,
  'src/credential': 4,
  'src/doctor': 5,
  'src/remote': 5,
  'src/cli': 6,
  'src/emulator': 6,
  'src/demo': 7,
};
/** Narrower than its layer: the emulator stays a product of its own. */
const only: Record<string, string[]> = { 'src/emulator': ['src/*', 'src/endpoint'], 'src/demo': ['src/*', 'src/emulator'] };

/** Folder edges that break the layering, as "from -> to". */
function layerBreaks(folders: ImportGraph): string[] {
  const breaks: string[] = [];
  for (const [from, tos] of folders) {
    if (!from.startsWith('src')) continue;
    for (const to of new Set(tos)) {
      if (to === from || !to.startsWith('src')) continue;
      const allowed = only[from]?.includes(to) ?? (layers[to] ?? Infinity) < (layers[from] ?? -Infinity);
      if (!allowed) breaks.push(`${from} -> ${to}`);
    }
  }
  return breaks.sort();
}

/** The cycles that are not (a part of) a known one. */
const unknown = (found: string[][], known: string[][]) => found.filter((c) => !known.some((k) => c.every((n) => k.includes(n))));

describe('importSpecifiers', () => {
  it.each([
    { name: 'named, default and namespace imports', text: "import a from './a.js';\nimport * as b from './b.js';\nimport { c, d as e } from './c.js';", want: ['./a.js', './b.js', './c.js'] },
    { name: 'import type and inline type names', text: "import type { A } from './types.js';\nimport { type B, c } from './bc.js';", want: ['./types.js', './bc.js'] },
    { name: 'an import list over several lines', text: "import {\n  a,\n  b,\n} from '../x/y.js';", want: ['../x/y.js'] },
    { name: 'side-effect import', text: "import './polyfill.js';", want: ['./polyfill.js'] },
    { name: 're-exports', text: "export * from './all.js';\nexport { a } from './a.js';\nexport type { T } from './t.js';\nexport * as ns from './ns.js';", want: ['./all.js', './a.js', './t.js', './ns.js'] },
    { name: 'dynamic import()', text: "const m = await import('./cold.js');\nreturn (await import(\"../cli/program.js\")).programMain(io);", want: ['./cold.js', '../cli/program.js'] },
    { name: 'packages and node: modules too (resolution drops them)', text: "import { Command } from 'commander';\nimport fs from 'node:fs';", want: ['commander', 'node:fs'] },
    { name: 'each once', text: "import { a } from './a.js';\nimport type { B } from './a.js';", want: ['./a.js'] },
    {
      name: 'not in comments or ordinary strings',
      text: "// import { x } from './commented.js';\n/* import('./block.js') */\nconst s = 'import from here';\nconst u = 'https://x/y'; // import('./trailing.js')",
      want: [],
    },
    { name: 'exports that import nothing', text: "export const a = 1;\nexport function f() {\n  return 'from';\n}\nexport { a as b };", want: [] },
  ])('$name', ({ text, want }) => expect(importSpecifiers(text)).toEqual(want));
});

describe('resolveSpecifier and folderOf', () => {
  const files = new Set(['src/a.ts', 'src/cli/b.ts', 'src/cli/commands/c.ts', 'cmd/tool.ts', 'src/token/index.ts']);
  it.each([
    { from: 'src/cli/b.ts', spec: '../a.js', want: 'src/a.ts' },
    { from: 'src/cli/commands/c.ts', spec: '../b.js', want: 'src/cli/b.ts' },
    { from: 'cmd/tool.ts', spec: '../src/cli/commands/c.js', want: 'src/cli/commands/c.ts' },
    { from: 'src/cli/b.ts', spec: '../token', want: 'src/token/index.ts' },
    { from: 'src/cli/b.ts', spec: './missing.js', want: undefined },
    { from: 'src/cli/b.ts', spec: 'commander', want: undefined },
    { from: 'src/cli/b.ts', spec: 'node:fs', want: undefined },
  ])('$spec from $from: $want', ({ from, spec, want }) => expect(resolveSpecifier(from, spec, files)).toBe(want));
  it.each([
    { file: 'src/errors.ts', want: 'src/*' },
    { file: 'src/cli/commands/login.ts', want: 'src/cli' },
    { file: 'src/emulator/router.ts', want: 'src/emulator' },
    { file: 'cmd/git-credential-artifacts.ts', want: 'cmd' },
  ])('folderOf($file) is $want', ({ file, want }) => expect(folderOf(file)).toBe(want));
});

describe('cycles (Tarjan)', () => {
  const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));
  it.each([
    { name: 'a chain has none', graph: g({ a: ['b'], b: ['c'], c: [] }), want: [] },
    { name: 'two files importing each other', graph: g({ a: ['b'], b: ['a'] }), want: [['a', 'b']] },
    { name: 'a file importing itself', graph: g({ a: ['a'], b: [] }), want: [['a']] },
    { name: 'a longer loop and a separate pair', graph: g({ d: ['e'], e: ['d'], a: ['b'], b: ['c'], c: ['a', 'd'] }), want: [['a', 'b', 'c'], ['d', 'e']] },
    { name: 'a diamond has none', graph: g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }), want: [] },
  ])('$name', ({ graph, want }) => expect(cycles(graph)).toEqual(want));
  it('folders: edges inside one folder are not a folder cycle; files at the top of src/ are one folder', () => {
    const graph = g({ 'src/a.ts': ['src/b.ts'], 'src/b.ts': ['src/a.ts', 'src/x/c.ts'], 'src/x/c.ts': ['src/x/d.ts'], 'src/x/d.ts': ['src/a.ts'] });
    expect(cycles(folderGraph(graph))).toEqual([['src/*', 'src/x']]);
  });
});

describe('the sources', () => {
  const graph = importGraph(root);
  it('are read: the entry points and their imports are in the graph', () => {
    expect(graph.get('cmd/git-credential-artifacts.ts')).toContain('src/cli/entry.ts');
    expect(graph.get('src/cli/entry.ts')).toContain('src/credential/args.ts');
    expect(graph.size).toBeGreaterThan(100);
  });
  it('have no file cycle but the known ones', () => {
    expect(unknown(cycles(graph), knownCycles.files)).toEqual([]);
  });
  it('have no cycle between the folders of src/ but the known ones', () => {
    expect(unknown(cycles(folderGraph(graph)), knownCycles.folders)).toEqual([]);
  });
  it('keep the layers: every folder of src/ has one, and imports only what its layer may', () => {
    const folders = folderGraph(graph);
    expect([...folders.keys()].filter((f) => f.startsWith('src') && layers[f] === undefined)).toEqual([]);
    expect(layerBreaks(folders)).toEqual([]);
  });
  it('would see a break: a store importing the credential helper, the emulator importing the CLI', () => {
    const folders: ImportGraph = new Map([
      ['src/store', ['src/credential']],
      ['src/emulator', ['src/cli', 'src/endpoint']],
      ['src/cli', ['src/store']],
    ]);
    expect(layerBreaks(folders)).toEqual(['src/emulator -> src/cli', 'src/store -> src/credential']);
  });
});
