// What each import or first use costs a fresh Node process, measured in-process with hrtime
// around the one step (so machine load and process start-up do not blur it); median of
// `samples` fresh processes. Used by run.mjs; also runnable alone: node bench/imports.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const report = "require('fs').writeSync(2,String(Number(process.hrtime.bigint()-t)/1e6)+'\\n')";
// An async step (import()) reports when its promise settles.
const timed = (setup, step) =>
  step.startsWith('import(')
    ? `${setup};const t=process.hrtime.bigint();${step}.then(()=>${report})`
    : `${setup};const t=process.hrtime.bigint();${step};${report}`;

const kb = (text) => (text.length / 1024).toFixed(0);

// The steps to time: [what, setup, step]. The bundles are compiled from files in `tmp`.
async function importCases(root, tmp) {
  const { build } = await import('esbuild');
  const { bundleOptions, lazyBundle } = await import(path.join(root, 'install', 'lazy-bundle.mjs'));
  const entry = path.join(root, 'cmd', 'git-credential-artifacts.ts');
  // The same executable as one eager bundle (how it shipped before lazy-bundle.mjs), and its cold part.
  const eager = (await build({ ...bundleOptions(root), entryPoints: [entry], write: false })).outputFiles[0].text;
  const { code: hot, cold } = await lazyBundle(root, entry, bundleOptions(root));
  const file = (name, text) => (writeFileSync(path.join(tmp, name), text.replace(/^#!.*\n/, '')), path.join(tmp, name));
  const compile = (f) =>
    `require('vm').compileFunction(require('fs').readFileSync(${JSON.stringify(f)},'utf8'),['exports','require','module','__filename','__dirname'])`;
  const nm = (p) => JSON.stringify(path.join(root, 'node_modules', p));
  return [
    ['`require("node:os")` (paths.ts: `os.homedir`)', '', "require('node:os')"],
    ['`require("node:child_process")`', '', "require('node:child_process')"],
    ['`require("node:vm")` (loads cold code)', '', "require('node:vm')"],
    ['`require("node:zlib")` (inflates cold code)', '', "require('node:zlib')"],
    ['first `new URL()` (args.ts: --git-url, --api-url)', '', "new URL('http://127.0.0.1:8787/client/v4')"],
    ['first `TextDecoder` decode (protocol.ts)', "const b=Buffer.from('protocol=https\\n')", "new TextDecoder('utf-8',{fatal:false}).decode(b)"],
    ['`process.stdin` on a pipe (before: `for await` stdin)', '', 'process.stdin'],
    ['`process.stdout` on a pipe (before: `stdout.write`)', '', 'process.stdout'],
    ['`fs.readSync(0)` + `fs.writeSync(1)` (now)', "const fs=require('fs'),b=Buffer.allocUnsafe(16384)",
      "fs.readSync(0,b,0,b.length,null);fs.writeSync(1,'x=y\\n')"],
    [`compile: one eager bundle (${kb(eager)} KB, before)`, '', compile(file('eager.cjs', eager))],
    [`compile: hot bundle with embedded cold code (${kb(hot)} KB, now)`, '', compile(file('hot.cjs', hot))],
    ...(cold ? [[`compile: cold code, only on a miss or the CLI (${kb(cold)} KB)`, '', compile(file('cold.cjs', cold))]] : []),
    ['`require("commander")` (CLI, cold)', '', `require(${nm('commander')})`],
    ['`require("@napi-rs/keyring")` (keychain child of a mint or login only)', '', `require(${nm('@napi-rs/keyring')})`],
  ];
}

// The median of `samples` fresh processes, each timing `step` after `setup`.
function medianMs(what, setup, step, samples) {
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: '' };
    const r = spawnSync(process.execPath, ['-e', timed(setup, step)], { input: 'protocol=https\nhost=x\n\n', encoding: 'utf8', env });
    const v = Number(r.stderr.trim().split('\n').pop());
    if (r.status !== 0 || !Number.isFinite(v)) throw new Error(`${what}: ${r.stderr}`);
    ms.push(v);
  }
  ms.sort((a, b) => a - b);
  return ms[ms.length >> 1];
}

export async function importCosts(root, samples = 15) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'artifacts-imports-'));
  const cases = await importCases(root, tmp);
  const out = [];
  for (const [what, setup, step] of cases) out.push([what, medianMs(what, setup, step, samples)]);
  rmSync(tmp, { recursive: true, force: true });
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const [what, ms] of await importCosts(root)) console.log(`${ms.toFixed(2).padStart(7)} ms  ${what}`);
}
