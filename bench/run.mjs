// `npm run bench`: start-up cost of the helper against the emulator, measured side by side.
// Commands that are compared run alternately in the same loop (A B A B …) so load on the
// machine hits both alike; every figure is a median. Run with and without NODE_EXTRA_CA_CERTS
// (docs/project-layout.md, "Start-up cost": it adds 40-70 ms to every Node start on our
// machines).
//
//   npm run bench                      # npm build (dist/) and, if built, the single executable
//   npm run bench -- --runs 60         # more runs per command (default 30)
//   npm run bench -- --no-imports      # skip the per-import table
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configuredBenchHome, startBenchEmulator } from './emulator.mjs';
import { importCosts } from './imports.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || Number(process.env.BENCH_RUNS) || 30;
const bundle = path.join(root, 'dist', 'git-credential-artifacts.cjs');
const seaBin = path.join(process.env.ARTIFACTS_SEA_DIR || path.join(root, 'sea'), 'git-credential-artifacts');
const hasSea = existsSync(seaBin);
const caFile = process.env.NODE_EXTRA_CA_CERTS || (existsSync('/etc/ssl/certs/ca-certificates.crt') ? '/etc/ssl/certs/ca-certificates.crt' : undefined);
const node = process.execPath;
const work = mkdtempSync(path.join(os.tmpdir(), 'artifacts-bench-'));

// ---- the emulator and an isolated git home per build ----------------------------------------

const emulator = await startBenchEmulator(root, work);
const { url, apiUrl, apiToken, account, rest, stop: stopEmulator } = emulator;
const repo = await rest('POST', `/client/v4/accounts/${account}/artifacts/namespaces/bench/repos`, { name: 'speed' });
const repoPath = new URL(repo.remote).pathname.slice(1);
const host = new URL(url).host;
const request = `protocol=http\nhost=${host}\npath=${repoPath}\n\n`;

function makeHome(name, self) {
  return { name, ...configuredBenchHome(path.join(work, name), emulator, self) };
}

// ---- measuring --------------------------------------------------------------------------------

function once(cmd, { env, input = '', check = true }) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { env, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (check && r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: String(r.stdout) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the commands alternately `runs` times (after 3 warm-ups each); medians in ms. */
function sideBySide(cmds) {
  const times = cmds.map(() => []);
  for (let i = 0; i < runs + 3; i++) {
    cmds.forEach((c, j) => {
      c.before?.();
      const { ms } = once(c.cmd, c);
      if (i >= 3) times[j].push(ms);
    });
  }
  return times.map(median);
}

const withCa = (env, on) => {
  const e = { ...env };
  if (on) e.NODE_EXTRA_CA_CERTS = caFile;
  else delete e.NODE_EXTRA_CA_CERTS;
  return e;
};

// ---- the scenarios ----------------------------------------------------------------------------

const builds = [{ label: 'npm', home: makeHome('npm', [node, bundle]) }];
if (hasSea) builds.push({ label: 'sea', home: makeHome('sea', [seaBin]) });

async function mintsIn(fn) {
  await rest('DELETE', '/__emulator/log');
  const out = await fn();
  const log = await rest('GET', '/__emulator/log');
  return { out, mints: log.filter((e) => e.kind === 'mint' && e.status === 201).length };
}

async function parallelGets(home, n, env) {
  const cacheDir = mkdtempSync(path.join(work, 'par-'));
  const started = process.hrtime.bigint();
  const codes = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve) => {
      const child = spawn(home.helper[0], [...home.helper.slice(1), 'get'], { env: { ...env, ARTIFACTS_CACHE_DIR: cacheDir }, stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin.end(request);
      child.once('exit', resolve);
    })),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (codes.some((c) => c !== 0)) throw new Error(`a parallel get failed: ${codes}`);
  return ms;
}

const rows = [];
const row = (what, build, ca, value, ratio, goal) => rows.push({ what, build, ca, value, ratio, goal });
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const gitBin = process.env.BENCH_GIT || 'git';

for (const ca of [false, true]) {
  if (ca && !caFile) continue;
  const caLabel = ca ? 'set' : 'unset';
  for (const { label, home } of builds) {
    const env = withCa(home.env, ca);
    // Warm the cache once, so `get` below is a cache hit.
    const first = once([...home.helper, 'get'], { env, input: request });
    const secret = /password=(.*)/.exec(first.stdout)?.[1];
    if (!secret) throw new Error(`no token from ${label}: ${first.stdout}`);

    const base = { cmd: [node, '-e', '0'], env };
    const cached = { cmd: [...home.helper, 'get'], env, input: request };
    const [tNode, tGet] = sideBySide([base, cached]);
    row('`node -e 0`', label, caLabel, fmt(tNode), '1.00', '');
    row('cached `get`', label, caLabel, fmt(tGet), (tGet / tNode).toFixed(2), '≤ 1.10');

    let fresh = 0;
    const minting = { ...cached, before: () => (minting.env = { ...env, ARTIFACTS_CACHE_DIR: path.join(work, `mint-${label}-${caLabel}-${fresh++}`) }) };
    const [tMint, tGet2] = sideBySide([minting, cached]);
    row('`get` that mints (emulator)', label, caLabel, fmt(tMint), `${(tMint / tGet2).toFixed(2)} × cached`, '');

    const approveInput = `protocol=http\nhost=${host}\npath=${repoPath}\nusername=x\npassword=${secret}\n\n`;
    const approve = { cmd: [gitBin, 'credential', 'approve'], env, input: approveInput };
    const bare = { cmd: [gitBin, '-c', 'credential.helper=', 'credential', 'approve'], env: { ...env, GIT_CONFIG_GLOBAL: '/dev/null' }, input: approveInput };
    const [tNode2, tApprove, tBare] = sideBySide([base, approve, bare]);
    row('`git credential approve` (configured chain)', label, caLabel, fmt(tApprove), (tApprove / tNode2).toFixed(2), '≤ 0.50');
    row('`git credential approve`, no helper at all', label, caLabel, fmt(tBare), (tBare / tNode2).toFixed(2), '');

    const lsHelper = { cmd: [gitBin, 'ls-remote', repo.remote], env };
    const basic = Buffer.from(`x:${secret}`).toString('base64');
    const lsHeader = { cmd: [gitBin, '-c', `http.extraHeader=Authorization: Basic ${basic}`, 'ls-remote', repo.remote], env: { ...env, GIT_CONFIG_GLOBAL: '/dev/null' } };
    const [tLsHelper, tLsHeader] = sideBySide([lsHelper, lsHeader]);
    row('`git ls-remote` via helper (cached)', label, caLabel, fmt(tLsHelper), `${(tLsHelper / tLsHeader).toFixed(2)} × header`, '');
    row('`git ls-remote`, token in `http.extraHeader`', label, caLabel, fmt(tLsHeader), '1.00', '');

    for (const n of [16, 64]) {
      const { out: ms, mints } = await mintsIn(() => parallelGets(home, n, env));
      row(`${n} parallel cold \`get\`s, one repo`, label, caLabel, `${fmt(ms)} wall`, `${mints} mint${mints === 1 ? '' : 's'}`, '1 mint');
    }
  }
}

// ---- report -------------------------------------------------------------------------------------

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const gitVersion = spawnSync(gitBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`\n## Start-up benchmark (${new Date().toISOString().slice(0, 10)}, ${runs} runs per command, medians)\n`);
console.log(`Machine: ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${cpu}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; Node ${process.version}; ${gitVersion}; NODE_EXTRA_CA_CERTS=${caFile ?? '(none)'} when set.\n`);
console.log('| What | Build | NODE_EXTRA_CA_CERTS | Median | Ratio | Goal |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.build} | ${r.ca} | ${r.value} | ${r.ratio} | ${r.goal} |`);

if (!args.includes('--no-imports')) {
  console.log('\n## What each import costs (in-process, first use, median of fresh processes)\n');
  console.log('| Import or step | Cost |');
  console.log('|---|---|');
  for (const [what, ms] of await importCosts(root, Math.max(9, Math.min(runs, 21)))) console.log(`| ${what} | ${ms.toFixed(2)} ms |`);
}

stopEmulator();
rmSync(work, { recursive: true, force: true });
