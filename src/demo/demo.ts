// `artifacts-emulator demo` (npm run demo): the whole product on one machine, offline.
// Starts an emulator, configures a throw-away git home with `configure`, then clones and
// pushes with plain git and shows what was minted. Nothing outside a temp dir is touched.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { run, start } from '../child-process.js';
import { ArtifactsError } from '../errors.js';
import type { Io } from '../io.js';
import { isSingleExecutable } from '../gitconfig/self.js';
import { report } from '../report.js';
import { credentialTool } from '../names.js';

const tool = 'artifacts-emulator demo';

interface LogEntry {
  kind: string;
  scope?: string | null;
  service?: string | null;
  status?: number;
  tokenId?: string | null;
  repo?: string | null;
}

/**
 * How to start a sibling tool, and the directory to put on PATH so git finds them by name:
 * dist/<tool>.cjs and dist/bin/ for the npm build, the binary's own directory (where the
 * siblings are links to it) for the single executable.
 */
function tools(): { start: (tool: string) => [string, string[]]; binDir: string } {
  if (isSingleExecutable()) {
    const dir = path.dirname(process.execPath);
    return { start: (tool) => [path.join(dir, tool), []], binDir: dir };
  }
  const dist = path.dirname(path.resolve(process.argv[1] ?? '.'));
  return { start: (tool) => [process.execPath, [path.join(dist, `${tool}.cjs`)]], binDir: path.join(dist, 'bin') };
}

export async function demoMain(io: Io): Promise<number> {
  const keep = io.argv.includes('--keep');
  const root = await mkdtemp(path.join(os.tmpdir(), 'artifacts-demo-'));
  const apiToken = randomBytes(16).toString('hex');
  const out = (s: string) => io.stdout.write(`${s}\n`);
  const { start: toolArgv, binDir } = tools();
  const [emuFile, emuArgs] = toolArgv('artifacts-emulator');
  const emulator = start([emuFile, ...emuArgs, '--port', '0', '--data', path.join(root, 'emulator')], {
    // Both credentials given, so the emulator prints no generated one (the demo uses the API token).
    env: { ...io.env, ARTIFACTS_EMULATOR_API_TOKEN: apiToken, ARTIFACTS_EMULATOR_JWT: `demo_jwt_${randomBytes(16).toString('hex')}` },
    stdio: ['ignore', 'pipe', 'inherit'],
    label: 'artifacts-emulator',
  });
  // Exiting after it was ready is the finally below stopping it.
  const gone = emulator.exited.then(() => {
    throw new ArtifactsError('internal', 'the emulator exited before it was ready');
  });
  gone.catch(() => undefined);
  try {
    const url = await Promise.race([firstLineUrl(emulator.child.stdout!), gone]);
    const apiUrl = `${url}/client/v4`;
    const account = 'demo-account';
    out(`1. emulator running at ${url} (data in ${path.join(root, 'emulator')})`);

    const created = await rest(apiUrl, apiToken, 'POST', `/accounts/${account}/artifacts/namespaces/default/repos`, { name: 'hello' });
    const remote = (created as { remote: string }).remote;
    out(`2. created repo default/hello; its remote is ${remote}`);

    const home = path.join(root, 'home');
    await mkdir(home);
    const gitconfig = path.join(home, '.gitconfig');
    const userConfig = '[user]\n\tname = Demo\n\temail = demo@example.invalid\n[init]\n\tdefaultBranch = main\n';
    await writeFile(gitconfig, userConfig);
    const env: NodeJS.ProcessEnv = {
      ...io.env,
      HOME: home,
      GIT_CONFIG_GLOBAL: gitconfig,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      CLOUDFLARE_API_TOKEN: apiToken,
      ARTIFACTS_CACHE_DIR: path.join(root, 'token-cache'),
      PATH: [binDir, io.env.PATH].filter(Boolean).join(path.delimiter),
    };
    const run = (cmd: string, args: string[], cwd = home) => exec(cmd, args, cwd, env);
    const [helperFile, helperArgs] = toolArgv(credentialTool);
    await run(helperFile, [...helperArgs, 'configure', '--git-url', url, '--api-url', apiUrl, '--account', account]);
    out(`3. configured git (isolated HOME ${home}) with git-credential-artifacts configure; it wrote:`);
    // configure appends its block after what the file held.
    for (const line of (await readFile(gitconfig, 'utf8')).slice(userConfig.length).trimEnd().split('\n')) out(`     ${line}`);

    await run('git', ['clone', '-q', remote, 'hello']);
    out('4. git clone  -> ok');
    const work = path.join(home, 'hello');
    await writeFile(path.join(work, 'README.md'), '# hello from the demo\n');
    await run('git', ['add', 'README.md'], work);
    await run('git', ['commit', '-q', '-m', 'hello'], work);
    await run('git', ['push', '-q', 'origin', 'HEAD:main'], work);
    out('5. git push   -> ok (routed through git-remote-artifacts: a write token)');
    await run('git', ['fetch', '-q'], work);
    await run('git', ['pull', '-q', 'origin', 'main'], work);
    await run('git', ['push', '-q', 'origin', 'HEAD:main'], work);
    out('6. git fetch, git pull, git push again -> ok (served from the token cache)');

    const log = (await rest(url, apiToken, 'GET', '/__emulator/log')) as LogEntry[];
    const mints = log.filter((e) => e.kind === 'mint' && e.status === 201);
    out(`7. tokens minted: ${mints.length} (${mints.map((m) => m.scope).join(', ')})`);
    const byService = new Map<string, Set<string>>();
    for (const e of log.filter((x) => x.kind === 'git' && x.tokenId)) {
      const k = String(e.service);
      byService.set(k, (byService.get(k) ?? new Set()).add(String(e.scope)));
    }
    for (const [service, scopes] of byService) out(`   git ${service} requests used ${[...scopes].join(' and ')} tokens`);
    out(keep ? `kept everything in ${root}` : 'done; removing the temp dir');
    return 0;
  } catch (e) {
    return report(tool, e, io.stderr);
  } finally {
    emulator.kill('SIGTERM');
    // After the last catch: a temp dir that will not go away is not the demo failing.
    if (!keep) await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
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

async function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const label = [path.basename(cmd), ...args.slice(0, 2)].join(' ');
  const r = await run([cmd, ...args], { cwd, env, timeoutMs: 60_000, label });
  if (r.exitCode !== 0) throw new ArtifactsError('git.failed', `\`${label}\` failed (exit ${r.exitCode}):\n${r.stdout}${r.stderr}`);
}
