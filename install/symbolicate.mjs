// Maps the minified positions in a stack trace from a bug report back to src/, with the source
// maps install/build.mjs writes beside each bundle (dist/<name>.cjs.map for the hot bundle,
// dist/<name>.cjs.cold<i>.map for cold chunk i, which a stack names `<name>.cjs#cold<i>`).
// Node 20 applies no source map to code compiled with vm (the cold chunks), and the hot bundle
// should not pay for --enable-source-maps on every start, so the mapping happens here, after
// the fact, with Node's own decoder (https://nodejs.org/api/module.html#class-modulesourcemap).
//
//   node install/symbolicate.mjs < trace.txt
//
// A frame whose bundle is not where the trace says (another machine) is looked up by name in
// this checkout's dist/ (build the same version first).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const maps = new Map();

function mapFor(file) {
  const local = existsSync(file) ? file : path.join(dist, path.basename(file));
  if (!maps.has(local)) maps.set(local, existsSync(local) ? new SourceMap(JSON.parse(readFileSync(local, 'utf8'))) : null);
  return maps.get(local);
}

/** `src/x.ts:12:3 (name)` for one bundle position, or undefined when no map knows it. */
export function symbolicate(bundle, chunk, line, column) {
  // Cold chunks are compiled one line below the wrapper's opening (install/lazy-bundle.mjs).
  const map = mapFor(chunk === undefined ? `${bundle}.map` : `${bundle}.cold${chunk}.map`);
  const entry = map?.findEntry(line - 1 - (chunk === undefined ? 0 : 1), column - 1);
  if (!entry || entry.originalSource === undefined) return undefined;
  const source = entry.originalSource.replace(/^.*?(?=(src|cmd)\/)/, '');
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${entry.name ? ` (${entry.name})` : ''}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(0, 'utf8');
  process.stdout.write(
    text.replace(/((?:file:\/\/)?[^\s()]+?\.cjs)(?:#cold(\d+))?:(\d+):(\d+)/g, (all, file, chunk, line, column) => {
      const mapped = symbolicate(file.replace(/^file:\/\//, ''), chunk, Number(line), Number(column));
      return mapped ? `${mapped} [${all}]` : all;
    }),
  );
}
