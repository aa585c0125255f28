// The benchmarks' emulator: dist/artifacts-emulator.cjs on a free loopback port with a random
// API token, stopped (and its data dir removed) when the benchmark exits. One copy for every
// bench script.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
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
    const res = await fetch(url + p, { method, headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) }).catch((e) => {
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
