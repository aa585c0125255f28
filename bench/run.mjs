// `npm run bench`: what the helper costs, measured side by side against the emulator, with
// NODE_EXTRA_CA_CERTS unset and set (docs/project-layout.md, "Start-up cost": Node 20 parses that
// file at every start). Commands that are compared run alternately in the same loop (A B A B …)
// so load on the machine hits both alike; every figure is a median.
//
//   npm run bench                        # npm build (dist/) and, if built, the single executable (sea/)
//   npm run bench -- --runs 60           # more runs per command (default 30)
//   npm run bench -- --only startup,push # some sections: startup, mint, push, parallel
//   npm run bench -- --no-imports        # skip the per-import table
//
// Start-up compares a cached `get` with `node -e 0`, git's own credential-store and, when they
// are installed (Debian: apt-get install gh git-credential-oauth), `gh auth git-credential` and
// git-credential-oauth; the others are skipped when absent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configuredBenchHome, startBenchEmulator } from './emulator.mjs';
import { importCosts } from './imports.mjs';
import { alternately, median, once } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || Number(process.env.BENCH_RUNS) || 30;
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : undefined;
const section = (name) => !only || only.has(name);
const bundle = path.join(root, 'dist', 'git-credential-artifacts.cjs');
const seaDir = process.env.ARTIFACTS_SEA_DIR || path.join(root, 'sea');
const seaBin = path.join(seaDir, 'git-credential-artifacts');
const hasSea = existsSync(seaBin);
const caFile = process.env.NODE_EXTRA_CA_CERTS || (existsSync('/etc/ssl/certs/ca-certificates.crt') ? '/etc/ssl/certs/ca-certificates.crt' : undefined);
const node = process.execPath;
const gitBin = process.env.BENCH_GIT || 'git';
const work = mkdtempSync(path.join(os.tmpdir(), 'artifacts-bench-'));

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || undefined;
const gh = onPath('gh');
const oauth = onPath('git-credential-oauth');
const gitExec = spawnSync(gitBin, ['--exec-path'], { encoding: 'utf8' }).stdout.trim();

// ---- the emulator, repos and an isolated git home per build -----------------------------------

const emulator = await startBenchEmulator(root, work);
const { url, account, rest } = emulator;
const nsPath = `/client/v4/accounts/${account}/artifacts/namespaces/bench`;
const host = new URL(url).host;
const repo = await rest('POST', `${nsPath}/repos`, { name: 'speed' });
const repoPath = new URL(repo.remote).pathname.slice(1);
const request = (p = repoPath) => `protocol=http\nhost=${host}\npath=${p}\n\n`;

const builds = [{ label: 'npm', self: [node, bundle], bin: path.join(root, 'dist', 'bin') }];
if (hasSea) builds.push({ label: 'single executable', self: [seaBin], bin: seaDir });
for (const b of builds) b.home = configuredBenchHome(path.join(work, b.label.replace(/ /g, '-')), emulator, b.self, b.bin);

// ---- measuring --------------------------------------------------------------------------------

const sideBySide = (cmds, n = runs) => alternately(cmds, n);

const withCa = (env, on) => {
  const e = { ...env };
  if (on) e.NODE_EXTRA_CA_CERTS = caFile;
  else delete e.NODE_EXTRA_CA_CERTS;
  return e;
};

// Results: one row per (what, build), a value and a ratio per CA setting.
const rows = new Map();
function record(what, build, ca, value, ratio = '', goal = '') {
  const k = `${what}\0${build}`;
  if (!rows.has(k)) rows.set(k, { what, build, goal, unset: {}, set: {} });
  const r = rows.get(k);
  r[ca] = { value, ratio };
  if (goal) r.goal = goal;
}
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const x = (a, b) => `${(a / b).toFixed(2)}×`;

// ---- the scenarios ----------------------------------------------------------------------------

const cached = (b, env) => ({ cmd: [...b.home.helper, 'get'], env, input: request() });

function startup(ca, caLabel) {
  const env0 = withCa(builds[0].home.env, ca);
  const storeFile = path.join(work, 'credential-store');
  writeFileSync(storeFile, `http://x:secret@${host}\n`);
  const cmds = [
    { what: '`node -e 0`', cmd: [node, '-e', '0'], env: env0 },
    {
      what: "git's `credential-store get`",
      cmd: [path.join(gitExec, 'git-credential-store'), '--file', storeFile, 'get'],
      env: env0,
      input: `protocol=http\nhost=${host}\n\n`,
    },
    ...builds.map((b) => ({ what: 'cached `get`', build: b.label, ...cached(b, withCa(b.home.env, ca)) })),
  ];
  const ghEnv = { ...env0, GH_TOKEN: 'bench-token' };
  if (gh) cmds.push({ what: '`gh auth git-credential get` (GH_TOKEN set)', cmd: [gh, 'auth', 'git-credential', 'get'], env: ghEnv, input: ask('github.com') });
  // It knows no such host and answers nothing: its start-up and exit, as for every host it does not serve.
  const ask = (h) => `protocol=https\nhost=${h}\n\n`;
  if (oauth) cmds.push({ what: '`git-credential-oauth get` (a host it does not serve)', cmd: [oauth, 'get'], env: env0, input: ask('example.com') });
  const t = sideBySide(cmds);
  const oauthMs = oauth ? t[cmds.length - 1] : undefined;
  cmds.forEach((c, i) => {
    const vsOauth = c.build === 'single executable' && oauthMs ? `, ${x(t[i], oauthMs)} oauth` : '';
    const goal = c.build === 'single executable' ? '≤ 0.5× node, ≤ 1.0× oauth' : '';
    record(c.what, c.build ?? '', caLabel, fmt(t[i]), `${x(t[i], t[0])} node${vsOauth}`, goal);
  });
}

function mint(ca, caLabel) {
  for (const b of builds) {
    const env = withCa(b.home.env, ca);
    let fresh = 0;
    const freshDir = () => path.join(work, `mint-${b.label}-${caLabel}-${fresh++}`.replace(/ /g, '-'));
    const minting = { ...cached(b, env), before: () => (minting.env = { ...env, ARTIFACTS_CACHE_DIR: freshDir() }) };
    const [tMint, tGet] = sideBySide([minting, cached(b, env)]);
    const goal = b.label === 'npm' ? '≤ 2.5× cached' : '';
    record('`get` that mints (emulator)', b.label, caLabel, fmt(tMint), `${x(tMint, tGet)} cached \`get\``, goal);
  }
}

async function push(ca, caLabel) {
  const token = await rest('POST', `${nsPath}/tokens`, { repo: 'speed', scope: 'write', ttl: 3600 });
  const basic = Buffer.from(`x:${token.plaintext.split('?')[0]}`).toString('base64');
  for (const b of builds) {
    const env = withCa(b.home.env, ca);
    const local = path.join(b.home.dir, `push-${caLabel}`);
    spawnSync(gitBin, ['init', '-q', '-b', 'main', local], { env });
    const who = ['-c', 'user.name=b', '-c', 'user.email=b@example.invalid'];
    const commit = () => spawnSync(gitBin, ['-C', local, ...who, 'commit', '-q', '--allow-empty', '-m', 'x'], { env });
    const tag = `${b.label.replace(/ /g, '-')}-${caLabel}`;
    const wrapper = { cmd: [gitBin, 'push', '-q', `artifacts::${repo.remote}`, `HEAD:refs/heads/wrapper-${tag}`], env, cwd: local, before: commit };
    const header = {
      cmd: [gitBin, '-c', `http.extraHeader=Authorization: Basic ${basic}`, 'push', '-q', repo.remote, `HEAD:refs/heads/header-${tag}`],
      env: { ...env, GIT_CONFIG_GLOBAL: '/dev/null' },
      cwd: local,
      before: commit,
    };
    const [tWrap, tHeader] = sideBySide([wrapper, header], Math.min(runs, 20));
    const goal = b.label === 'single executable' ? '≤ 1.5× header' : '';
    record('`git push` through git-remote-artifacts (write token cached)', b.label, caLabel, fmt(tWrap), `${x(tWrap, tHeader)} header`, goal);
    record('`git push`, token in `http.extraHeader`', b.label, caLabel, fmt(tHeader), '1.00×');
  }
}

async function mintsIn(fn) {
  await rest('DELETE', '/__emulator/log');
  const out = await fn();
  const log = await rest('GET', '/__emulator/log');
  return { out, mints: log.filter((e) => e.kind === 'mint' && e.status === 201).length };
}

function parallelGets(b, paths, env) {
  const cacheDir = mkdtempSync(path.join(work, 'par-'));
  const started = process.hrtime.bigint();
  return Promise.all(
    paths.map((p) => new Promise((resolve) => {
      const options = { env: { ...env, ARTIFACTS_CACHE_DIR: cacheDir }, stdio: ['pipe', 'ignore', 'ignore'] };
      const child = spawn(b.home.helper[0], [...b.home.helper.slice(1), 'get'], options);
      child.stdin.end(request(p));
      child.once('exit', resolve);
    })),
  ).then((codes) => {
    if (codes.some((c) => c !== 0)) throw new Error(`a parallel get failed: ${codes}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
}

let manyRepos;
async function parallel(ca, caLabel) {
  const makeRepo = (i) => rest('POST', `${nsPath}/repos`, { name: `par-${i}` }).then((r) => new URL(r.remote).pathname.slice(1));
  manyRepos ??= await Promise.all(Array.from({ length: 64 }, (_, i) => makeRepo(i)));
  for (const b of builds) {
    const env = withCa(b.home.env, ca);
    for (const [what, paths, want] of [
      ['64 parallel cold `get`s, 64 repos', manyRepos, 64],
      ['64 parallel cold `get`s, one repo', Array(64).fill(repoPath), 1],
    ]) {
      const times = [];
      let mints = 0;
      for (let i = 0; i < 3; i++) {
        const r = await mintsIn(() => parallelGets(b, paths, env));
        times.push(r.out);
        mints = r.mints;
      }
      record(what, b.label, caLabel, `${fmt(median(times))} wall`, `${mints} mint${mints === 1 ? '' : 's'}`, `${want} mint${want === 1 ? '' : 's'}`);
    }
  }
}

for (const ca of [false, true]) {
  if (ca && !caFile) continue;
  const caLabel = ca ? 'set' : 'unset';
  for (const b of builds) {
    // Warm each cache once, so `get` below is a cache hit.
    const first = once(cached(b, withCa(b.home.env, ca)).cmd, { env: withCa(b.home.env, ca), input: request() });
    if (!/password=/.test(first.stdout)) throw new Error(`no token from ${b.label}: ${first.stdout}`);
  }
  if (section('startup')) startup(ca, caLabel);
  if (section('mint')) mint(ca, caLabel);
  if (section('push')) await push(ca, caLabel);
  if (section('parallel')) await parallel(ca, caLabel);
}

// ---- report -------------------------------------------------------------------------------------

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const gitVersion = spawnSync(gitBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
const seaRuntime = hasSea ? spawnSync(seaBin, ['--sea-check'], { encoding: 'utf8' }).stdout.split('\n')[0].replace(/^runtime: /, '') : undefined;
const versionOf = (cmd, a) => spawnSync(cmd, a, { encoding: 'utf8' }).stdout.split('\n')[0].trim();
console.log(`\n## Benchmark (${new Date().toISOString().slice(0, 10)}, ${runs} runs per command, medians)\n`);
console.log(
  `Machine: ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${cpu}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end; ` +
    `npm build on Node ${process.version}${seaRuntime ? `; single executable: ${seaRuntime}` : ''}; ${gitVersion}` +
    `${gh ? `; ${versionOf(gh, ['--version'])}` : ''}` +
    `${oauth ? `; git-credential-oauth ${versionOf('dpkg-query', ['-W', '-f', '${Version}', 'git-credential-oauth']) || ''}` : ''}; ` +
    `NODE_EXTRA_CA_CERTS=${caFile ?? '(none)'} when set.\n`,
);
console.log('| What | Build | CA unset | Ratio | CA set | Ratio | Goal (CA unset) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows.values()) {
  console.log(`| ${r.what} | ${r.build} | ${r.unset.value ?? ''} | ${r.unset.ratio ?? ''} | ${r.set.value ?? ''} | ${r.set.ratio ?? ''} | ${r.goal} |`);
}

if (!args.includes('--no-imports')) {
  console.log('\n## What each import costs (in-process, first use, median of fresh processes)\n');
  console.log('| Import or step | Cost |');
  console.log('|---|---|');
  for (const [what, ms] of await importCosts(root, Math.max(9, Math.min(runs, 21)))) console.log(`| ${what} | ${ms.toFixed(2)} ms |`);
}

emulator.stop();
rmSync(work, { recursive: true, force: true });
