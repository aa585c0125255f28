// SIGTERM always ends the emulator: a clean stop waits for background imports, and one that
// never ends must not keep the process alive (before, a stuck start-up or job ignored SIGTERM).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bundle = path.resolve(import.meta.dirname, '../../../dist/artifacts-emulator.cjs');
const token = 'shutdown-test-token';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'emulator-shutdown-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function startWithStuckImport() {
  // No --data: its own temp dir under TMPDIR, which must be gone however it is stopped.
  const child = spawn(process.execPath, [bundle, '--port', '0', '--api-token', token, '--jwt', 'shutdown-test-jwt'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const rest = async (method: string, p: string, body?: unknown) =>
    (await fetch(url + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<{ success: boolean; result: { remote?: string } }>;
  const ns = '/client/v4/accounts/acct/artifacts/namespaces/default';
  const source = await rest('POST', `${ns}/repos`, { name: 'source' });
  expect(source.success).toBe(true);
  // The import then stays "in progress" for ten minutes: a clean stop would wait for it.
  expect((await rest('POST', '/__emulator/faults', { importDelayMs: 600_000 })).success).toBe(true);
  expect((await rest('POST', `${ns}/repos/copy/import`, { url: source.result.remote })).success).toBe(true);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, url };
}

describe('artifacts-emulator shutdown', () => {
  it('SIGTERM with a background job that never ends: the process still exits (143, after its grace period)', async () => {
    const { child, exited } = await startWithStuckImport();
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 143, signal: null });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a second signal while it stops ends it at once (its own code, not the grace timer\'s)', async () => {
    const { child, exited, url } = await startWithStuckImport();
    child.kill('SIGTERM');
    // Stopping has begun once the port refuses connections (asked for at most 30 s).
    const giveUpAt = Date.now() + 30_000;
    while (await fetch(url).then(() => true, () => false)) {
      if (Date.now() > giveUpAt) throw new Error('the emulator still accepted connections 30 s after SIGTERM');
    }
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(readdirSync(tmp)).toEqual([]);
  });
});
