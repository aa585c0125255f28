// The benchmarks' emulator: dist/artifacts-emulator.cjs on a free loopback port with a random
// API token, stopped (and its data dir removed) when the benchmark exits. One copy for every
// bench script.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Starts the emulator with its data under work/emu; resolves once it listens. */
export async function startBenchEmulator(root, work) {
  const apiToken = `bench-${Math.random().toString(36).slice(2)}`;
  const account = 'bench-account';
  const emu = spawn(process.execPath, [path.join(root, 'dist', 'artifacts-emulator.cjs'), '--port', '0', '--data', path.join(work, 'emu')], {
    env: { ...process.env, ARTIFACTS_EMULATOR_API_TOKEN: apiToken },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  process.on('exit', () => {
    emu.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    emu.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    emu.once('exit', () => reject(new Error('emulator exited')));
  });
  async function rest(method, p, body, retry = true) {
    // spawnSync blocks the caller's loop for seconds, so a kept-alive socket may be closed under us.
    const headers = { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' };
    const res = await fetch(url + p, { method, headers, body: body && JSON.stringify(body) }).catch((e) => {
      if (retry) return undefined;
      throw e;
    });
    if (!res) return rest(method, p, body, false);
    const json = await res.json();
    if (!json.success) throw new Error(`${method} ${p}: ${JSON.stringify(json.errors)}`);
    return json.result;
  }
  return { url, apiUrl: `${url}/client/v4`, apiToken, account, rest, stop: () => emu.kill('SIGTERM') };
}

/**
 * An isolated git home under dir, configured for the emulator by the real `configure` (run as
 * self: [node, bundle] or [single executable]); pathPrefix: a git's bin dir to put first.
 */
export function configuredBenchHome(dir, emulator, self, pathPrefix) {
  mkdirSync(path.join(dir, 'run'), { recursive: true, mode: 0o700 });
  const env = {
    PATH: [pathPrefix, process.env.PATH].filter(Boolean).join(path.delimiter),
    HOME: dir,
    GIT_CONFIG_GLOBAL: path.join(dir, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    ARTIFACTS_API_TOKEN: emulator.apiToken,
    LANG: 'C',
  };
  writeFileSync(env.GIT_CONFIG_GLOBAL, '');
  const endpoint = ['--git-url', emulator.url, '--api-url', emulator.apiUrl, '--account', emulator.account];
  const r = spawnSync(self[0], [...self.slice(1), 'configure', ...endpoint], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`configure failed: ${r.stderr}`);
  return { dir, env, helper: [...self, ...endpoint] };
}
