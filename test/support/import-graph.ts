// The import graph of the sources (src/**/*.ts, cmd/*.ts), read with regular expressions: every
// `import … from`, `import type … from`, bare `import '…'`, `export … from` and dynamic
// `import('…')` counts as an edge, as docs/project-layout.md ("Which folder may import which")
// says. Only relative specifiers are followed (node: modules and packages are not ours); `.js`
// resolves to the `.ts` file beside it, as TypeScript's NodeNext resolution does. Then Tarjan's
// strongly connected components find the cycles, between files and between folders.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** File (repo-relative, `/`-separated) → the files it imports, in order of first import. */
export type ImportGraph = Map<string, string[]>;

// A static import or re-export at the start of a statement: the clause between the keyword
// and `from` holds only names, `type`, `as`, `*`, braces and commas (a whole import list may
// span lines); without a clause it is a side-effect import.
const staticRe = /(?:^|;)[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s*)?['"]([^'"\n]+)['"]/gm;
const dynamicRe = /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** Comments out of the way (an import() in a comment is not an edge): block comments, and `//` after nothing or a space. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[ \t])\/\/.*$/gm, '$1');
}

/** The module specifiers one source text imports, static and dynamic, in order of appearance, each once. */
export function importSpecifiers(text: string): string[] {
  const code = withoutComments(text);
  const found: { at: number; spec: string }[] = [];
  for (const re of [staticRe, dynamicRe]) {
    for (const m of code.matchAll(re)) found.push({ at: m.index, spec: m[1]! });
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.spec))];
}

/** A relative specifier from `from` (repo-relative) to the file it names in `files`, or undefined. */
export function resolveSpecifier(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = [joined, joined.replace(/\.js$/, '.ts'), joined.replace(/\.mjs$/, '.mts'), `${joined}.ts`, `${joined}/index.ts`];
  return candidates.find((c) => files.has(c));
}

function tsFiles(root: string, dir: string, recursive: boolean): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return recursive ? tsFiles(root, rel, true) : [];
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The graph of src/**\/*.ts and cmd/*.ts under `root`: only edges between those files. */
export function importGraph(root: string): ImportGraph {
  const files = [...tsFiles(root, 'src', true), ...tsFiles(root, 'cmd', false)].sort();
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const specs = importSpecifiers(readFileSync(path.join(root, file), 'utf8'));
    const to = specs.map((s) => resolveSpecifier(file, s, known)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(to)]);
  }
  return graph;
}

/** The folder a file of src/ belongs to: its top-level folder, or `src/*` for the files at the top of src/. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? `src/${parts[1]}` : 'src/*';
}

/** The graph between the folders of src/ (edges inside one folder dropped). */
export function folderGraph(graph: ImportGraph): ImportGraph {
  const out: ImportGraph = new Map();
  for (const [file, to] of graph) {
    if (!file.startsWith('src/')) continue;
    const from = folderOf(file);
    const edges = out.get(from) ?? [];
    for (const t of to) {
      const f = folderOf(t);
      if (t.startsWith('src/') && f !== from && !edges.includes(f)) edges.push(f);
    }
    out.set(from, edges);
  }
  return out;
}

/**
 * The cycles: Tarjan's strongly connected components of more than one node, or of one node
 * that imports itself. Each cycle's nodes sorted, the cycles sorted by their first node.
 */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
