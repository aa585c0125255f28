// `artifacts-emulator demo` (npm run demo): the whole product on one machine, offline.
// Starts an emulator, configures a throw-away git home with `configure`, then clones and
// pushes with plain git and shows what was minted. Nothing outside a temp dir is touched.
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { run, start, type Started } from '../child-process.js';
import { humanOutput } from '../commander-style.js';
import { ArtifactsError } from '../errors.js';
import type { Io } from '../io.js';
import type { GitLogEntry, LogEntry, MintLogEntry } from '../emulator/request-log.js';
import { isSingleExecutable } from '../self.js';
import { report } from '../report.js';
import { credentialTool, emulatorTool, remoteTool, version } from '../names.js';

const tool = 'artifacts-emulator demo';

/**
 * The three tools in a bin directory of the demo's own, so it works wherever they are
 * installed: an npm install links only the package's `bin` entries (its dist/bin/ links are not
 * packed), and install.sh links the single executable's names from PREFIX/bin, not from the
 * directory the binary lives in. Each name starts this installation's copy: a link to the
 * single executable (which picks its tool by the name it was started as), or a two-line script
 * running this bundle's sibling with this Node. git finds git-remote-artifacts by name on PATH.
 */
async function linkTools(binDir: string): Promise<void> {
  await mkdir(binDir, { mode: 0o700 });
  for (const name of [credentialTool, remoteTool, emulatorTool]) {
    const file = path.join(binDir, name);
    if (isSingleExecutable()) {
      await symlink(process.execPath, file);
      continue;
    }
    // process.argv[1] is the link npm made (PREFIX/bin/artifacts-emulator); the siblings sit beside its target.
    const dist = path.dirname(realpathSync(process.argv[1] ?? '.'));
    await writeFile(file, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(path.join(dist, `${name}.cjs`))} "$@"\n`, { mode: 0o700 });
  }
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function demoCommand(io: Io): Command {
  return humanOutput(
    new Command(tool)
      .description(
        'Clone and push with plain git against a throw-away emulator, in a temp dir that is removed afterwards: ' +
          'shows each git command, its output and the tokens minted.',
      )
      .option('--keep', 'keep the temp dir (emulator data, git home, clone) and print where it is')
      .version(version)
      .allowExcessArguments(false),
    io,
    tool,
  );
}

export async function demoMain(io: Io, signal?: AbortSignal): Promise<number> {
  let keep: boolean;
  try {
    keep = demoCommand(io).parse(io.argv, { from: 'user' }).opts<{ keep?: boolean }>().keep === true;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return report(tool, e, io.stderr);
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'artifacts-demo-'));
  const out = (s: string) => io.stdout.write(`${s}\n`);
  // Set as soon as it starts, so the finally below stops it whatever step fails.
  const running: { emulator?: Started } = {};
  try {
    await runDemo({ io, root, out, step: interruptible(signal), apiToken: randomBytes(16).toString('hex') }, running);
    out(keep ? `kept everything in ${root}` : 'done; removing the temp dir (--keep keeps it)');
    return 0;
  } catch (e) {
    if (e instanceof ArtifactsError && e.code === 'interrupted') {
      out(keep ? `interrupted; kept everything in ${root}` : 'interrupted; removing the temp dir');
      return 130;
    }
    return report(tool, e, io.stderr);
  } finally {
    await stopEmulator(running.emulator);
    // After the last catch: a temp dir that will not go away is not the demo failing.
    if (!keep) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What every step of one demo run shares. */
interface DemoRun {
  io: Io;
  /** The temp dir holding everything. */
  root: string;
  out: (s: string) => void;
  /** Ends the step with an `interrupted` error once the demo is interrupted. */
  step: <T>(p: Promise<T>) => Promise<T>;
  /** The emulator's API token, which the demo's git home mints with. */
  apiToken: string;
}

/** Ctrl-C or SIGTERM: stop at the next step; demoMain's finally still stops the emulator and removes the temp dir. */
function interruptible(signal: AbortSignal | undefined): <T>(p: Promise<T>) => Promise<T> {
  const interrupted = new Promise<never>((_resolve, reject) => {
    const stop = () => reject(new ArtifactsError('interrupted', 'interrupted'));
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  interrupted.catch(() => undefined);
  return <T>(p: Promise<T>): Promise<T> => Promise.race([p, interrupted]);
}

/** The numbered steps: emulator, repo, configure, clone, push, fetch and pull, what was minted. */
async function runDemo(d: DemoRun, running: { emulator?: Started }): Promise<void> {
  const binDir = path.join(d.root, 'bin');
  await linkTools(binDir);
  const url = await startEmulator(d, binDir, running);
  const apiUrl = `${url}/client/v4`;
  const account = 'demo-account';
  d.out(`1. emulator running at ${url} (data in ${path.join(d.root, 'emulator')})`);

  const created = await d.step(rest(apiUrl, d.apiToken, 'POST', `/accounts/${account}/artifacts/namespaces/default/repos`, { name: 'hello' }));
  const remote = (created as { remote: string }).remote;
  d.out(`2. created repo default/hello; its remote is ${remote}`);

  const { home, env } = await configuredHome(d, binDir, ['--git-url', url, '--api-url', apiUrl, '--account', account]);
  const work = path.join(home, 'hello');
  // Each git command as a person would type it, then the first lines of what it printed.
  const git = async (args: string[], cwd = work) => {
    d.out(`   $ git ${args.join(' ')}`);
    for (const line of (await d.step(exec('git', args, cwd, env))).slice(0, 4)) d.out(`     ${line}`);
  };
  d.out('4. clone (a read token):');
  await git(['clone', remote, 'hello'], home);
  await writeFile(path.join(work, 'README.md'), '# hello from the demo\n');
  await exec('git', ['add', 'README.md'], work, env);
  await exec('git', ['commit', '-q', '-m', 'hello'], work, env);
  d.out('5. commit and push (routed through git-remote-artifacts: a write token):');
  await git(['push', 'origin', 'HEAD:main']);
  d.out('6. fetch, pull and push again (served from the token cache):');
  await git(['fetch']);
  await git(['pull', 'origin', 'main']);
  await git(['push', 'origin', 'HEAD:main']);

  showMints((await d.step(rest(url, d.apiToken, 'GET', '/__emulator/log'))) as LogEntry[], d.out);
}

/** Starts the emulator on a free port with data under the temp dir; resolves with its URL once it is ready. */
async function startEmulator(d: DemoRun, binDir: string, running: { emulator?: Started }): Promise<string> {
  const emulator = start([path.join(binDir, emulatorTool), '--port', '0', '--data', path.join(d.root, 'emulator')], {
    // Both credentials given, so the emulator prints no generated one (the demo uses the API token).
    env: { ...d.io.env, ARTIFACTS_EMULATOR_API_TOKEN: d.apiToken, ARTIFACTS_EMULATOR_JWT: `demo_jwt_${randomBytes(16).toString('hex')}` },
    stdio: ['ignore', 'pipe', 'inherit'],
    label: emulatorTool,
  });
  running.emulator = emulator;
  // Exiting after it was ready is demoMain's finally stopping it.
  const gone = emulator.exited.then(() => {
    throw new ArtifactsError('internal', 'the emulator exited before it was ready');
  });
  gone.catch(() => undefined);
  return d.step(Promise.race([firstLineUrl(emulator.child.stdout!), gone]));
}

/** An isolated git home (HOME, global gitconfig) set up by `configure` with `endpointFlags`, and the environment git runs in. */
async function configuredHome(d: DemoRun, binDir: string, endpointFlags: string[]): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = path.join(d.root, 'home');
  await mkdir(home);
  const gitconfig = path.join(home, '.gitconfig');
  const userConfig = '[user]\n\tname = Demo\n\temail = demo@example.invalid\n[init]\n\tdefaultBranch = main\n';
  await writeFile(gitconfig, userConfig);
  const env: NodeJS.ProcessEnv = {
    ...d.io.env,
    HOME: home,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    ARTIFACTS_API_TOKEN: d.apiToken,
    ARTIFACTS_CACHE_DIR: path.join(d.root, 'token-cache'),
    PATH: [binDir, d.io.env.PATH].filter(Boolean).join(path.delimiter),
  };
  await d.step(exec(path.join(binDir, credentialTool), ['configure', ...endpointFlags], home, env));
  d.out(`3. configured git (isolated HOME ${home}) with git-credential-artifacts configure; it wrote:`);
  // configure appends its block after what the file held.
  for (const line of (await readFile(gitconfig, 'utf8')).slice(userConfig.length).trimEnd().split('\n')) d.out(`     ${line}`);
  return { home, env };
}

/** Step 7: the tokens the emulator minted, and which token scopes each git service was served with. */
function showMints(log: LogEntry[], out: (s: string) => void): void {
  const mints = log.filter((e): e is MintLogEntry => e.kind === 'mint' && e.status === 201);
  out(`7. tokens minted: ${mints.length} (${mints.map((m) => m.scope).join(', ')})`);
  const byService = new Map<string, Set<string>>();
  for (const e of log.filter((x): x is GitLogEntry => x.kind === 'git' && Boolean(x.tokenId))) {
    const k = String(e.service);
    byService.set(k, (byService.get(k) ?? new Set()).add(String(e.scope)));
  }
  for (const [service, scopes] of byService) out(`   git ${service} requests used ${[...scopes].join(' and ')} tokens`);
}

/** Stops the emulator and waits for it: its last write must not land in a directory being removed; it stops within seconds. */
async function stopEmulator(emulator: Started | undefined): Promise<void> {
  if (!emulator) return;
  emulator.kill('SIGTERM');
  await Promise.race([emulator.exited.catch(() => 0), new Promise((r) => setTimeout(r, 5_000).unref())]);
}

function firstLineUrl(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new ArtifactsError('internal', 'the emulator did not start within 10 s')), 10_000);
    stream.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /(http:\/\/[^\s]+)/.exec(buf.split('\n')[0] ?? '');
      if (m && buf.includes('\n')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    stream.on('end', () => reject(new ArtifactsError('internal', 'the emulator exited before it was ready')));
  });
}

async function rest(base: string, apiToken: string, method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(base + p, {
    method,
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json()) as { success: boolean; result: unknown; errors: { message: string }[] };
  if (!json.success) throw new ArtifactsError('internal', `${method} ${p} failed: ${json.errors.map((e) => e.message).join('; ')}`);
  return json.result;
}

/** Runs a command to its end; resolves with the lines it printed (git reports progress on stderr). */
async function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const label = [path.basename(cmd), ...args.slice(0, 2)].join(' ');
  const r = await run([cmd, ...args], { cwd, env, timeoutMs: 60_000, label });
  if (r.exitCode !== 0) throw new ArtifactsError('git.failed', `\`${label}\` failed (exit ${r.exitCode}):\n${r.stdout}${r.stderr}`);
  return `${r.stderr}${r.stdout}`.split('\n').filter((l) => l.trim() !== '');
}
