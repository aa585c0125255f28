// `node bench/proactive-auth.mjs`: what http.<origin>.proactiveAuth=basic saves. git >= 2.46
// asks the credential helper before its first request instead of after a 401, which saves one
// HTTP round trip per git-remote-http process; older gits ignore the setting
// (https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpproactiveAuth).
// Against the emulator, per git: `git ls-remote` and `git clone` of a small repo with the setting
// `basic` and `none`, run alternately (A B A B …) after warm-ups, medians of wall time, plus the
// HTTP requests and 401s of one run from the emulator's request log. The helper's token is cached
// (a warm-up minted it), so both sides pay the same helper start; with NODE_EXTRA_CA_CERTS unset
// and set (docs/project-layout.md, "Start-up cost": it adds 40-70 ms to every Node start on
// our machines).
//
//   node bench/proactive-auth.mjs                     # the git on PATH + ARTIFACTS_TEST_GIT_DIRS
//   BENCH_GIT_DIRS=/a/bin:/b/bin node bench/proactive-auth.mjs --runs 30
//   node bench/proactive-auth.mjs --rtt 50            # every git request waits 50 ms first
//
// On loopback a 401 costs well under a millisecond, so the saving only shows with latency:
// --rtt makes the emulator hold every git request (the test-aid `git` fault with delayMs),
// which stands in for the network round trip to the service.
//
// Needs dist/ (npm run build). Timings are never test assertions; e2e checks only the wire.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configuredBenchHome, startBenchEmulator } from './emulator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || Number(process.env.BENCH_RUNS) || 20;
const rtt = args.includes('--rtt') ? Number(args[args.indexOf('--rtt') + 1]) : 0;
const node = process.execPath;
const bundle = path.join(root, 'dist', 'git-credential-artifacts.cjs');
if (!existsSync(bundle)) throw new Error('dist/ is missing: run `npm run build` first');
const caFile = process.env.NODE_EXTRA_CA_CERTS || (existsSync('/etc/ssl/certs/ca-certificates.crt') ? '/etc/ssl/certs/ca-certificates.crt' : undefined);
const work = mkdtempSync(path.join(os.tmpdir(), 'artifacts-bench-pa-'));

// ---- the gits: the one on PATH, then every listed bin directory -------------------------------

const dirs = (process.env.BENCH_GIT_DIRS ?? process.env.ARTIFACTS_TEST_GIT_DIRS ?? '').split(path.delimiter).filter(Boolean);
const gits = [undefined, ...dirs].map((dir) => {
  const bin = dir ? path.join(dir, 'git') : 'git';
  const version = /git version (\d+\.\d+\.\d+)/.exec(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout)?.[1];
  if (!version) throw new Error(`no git at ${bin}`);
  return { dir, version };
});

// ---- the emulator and a small repo ------------------------------------------------------------

const emulator = await startBenchEmulator(root, work);
const { url, apiUrl, apiToken, account, rest, stop: stopEmulator } = emulator;

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

const repo = await rest('POST', `/client/v4/accounts/${account}/artifacts/namespaces/bench/repos`, { name: 'small' });
{
  const seed = path.join(work, 'seed');
  const env = { ...process.env, HOME: work, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  sh('git', ['init', '-q', '-b', 'main', seed], { env });
  for (let i = 0; i < 5; i++) {
    writeFileSync(path.join(seed, `f${i}.txt`), `file ${i}\n`.repeat(100));
    sh('git', ['-C', seed, 'add', '.'], { env });
    sh('git', ['-C', seed, '-c', 'user.name=B', '-c', 'user.email=b@example.invalid', 'commit', '-q', '-m', `c${i}`], { env });
  }
  sh('git', ['-C', seed, '-c', `http.extraHeader=Authorization: Bearer ${repo.token}`, 'push', '-q', repo.remote, 'main'], { env });
}

/** A home configured the way a user does it: `configure --git-url … --api-url … --account …`. */
function makeHome(git) {
  const { dir, env } = configuredBenchHome(path.join(work, `home-${git.version}`), emulator, [node, bundle], git.dir);
  return { dir, env };
}

// ---- measuring --------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function once({ argv, env, cwd, after }) {
  const started = process.hrtime.bigint();
  sh('git', argv, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  after?.();
  return ms;
}

/** Runs the commands alternately `runs` times after 3 warm-ups each; medians in ms. */
function sideBySide(cmds) {
  const times = cmds.map(() => []);
  for (let i = 0; i < runs + 3; i++) {
    cmds.forEach((c, j) => {
      const ms = once(c);
      if (i >= 3) times[j].push(ms);
    });
  }
  return times.map(median);
}

/** The emulator logs a request once it is answered: wait until the log stops growing. */
async function settledLog() {
  let last = await rest('GET', '/__emulator/log');
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await rest('GET', '/__emulator/log');
    if (now.length === last.length) return now;
    last = now;
  }
}

/** HTTP requests and 401s the emulator saw for one run of cmd. */
async function onTheWire(cmd) {
  await settledLog();
  await rest('DELETE', '/__emulator/log');
  once(cmd);
  const log = (await settledLog()).filter((e) => e.kind === 'git');
  return { requests: log.length, challenges: log.filter((e) => e.status === 401).length };
}

if (rtt > 0) await rest('POST', '/__emulator/faults', { routes: [{ route: 'git', delayMs: rtt, count: 1_000_000 }] });

const rows = [];
for (const git of gits) {
  const home = makeHome(git);
  for (const ca of caFile ? [false, true] : [false]) {
    const env = { ...home.env, ...(ca ? { NODE_EXTRA_CA_CERTS: caFile } : {}) };
    const setting = (value) => ['-c', `http.${url}/.proactiveAuth=${value}`];
    sh('git', ['ls-remote', repo.remote], { env }); // mint and cache the read token
    const target = path.join(home.dir, 'clone');
    const ops = {
      '`git ls-remote`': (value) => ({ argv: [...setting(value), 'ls-remote', repo.remote], env, cwd: home.dir }),
      '`git clone` (5 commits)': (value) => ({
        argv: [...setting(value), 'clone', '-q', repo.remote, target],
        env,
        cwd: home.dir,
        after: () => rmSync(target, { recursive: true, force: true }),
      }),
    };
    for (const [what, make] of Object.entries(ops)) {
      const [tNone, tBasic] = sideBySide([make('none'), make('basic')]);
      const wNone = await onTheWire(make('none'));
      const wBasic = await onTheWire(make('basic'));
      rows.push({ git: git.version, what, ca: ca ? 'set' : 'unset', tNone, tBasic, wNone, wBasic });
    }
  }
}

// ---- report -------------------------------------------------------------------------------------

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\n## http.proactiveAuth=basic (${new Date().toISOString().slice(0, 10)}, ${runs} runs per command, medians)\n`);
console.log(
  `Machine: ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${cpu}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ` +
    `Node ${process.version}; token cached; ${rtt > 0 ? `every git request held ${rtt} ms` : 'loopback, no added latency'}; ` +
    `NODE_EXTRA_CA_CERTS=${caFile ?? '(none)'} when set.\n`,
);
console.log('| git | What | NODE_EXTRA_CA_CERTS | `none` | `basic` | Saved | Requests (401s) `none` → `basic` |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const wire = `${r.wNone.requests} (${r.wNone.challenges}) → ${r.wBasic.requests} (${r.wBasic.challenges})`;
  console.log(`| ${r.git} | ${r.what} | ${r.ca} | ${r.tNone.toFixed(1)} ms | ${r.tBasic.toFixed(1)} ms | ${(r.tNone - r.tBasic).toFixed(1)} ms | ${wire} |`);
}

stopEmulator();
rmSync(work, { recursive: true, force: true });
