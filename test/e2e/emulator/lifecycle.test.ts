// The process: CLI flags, first stdout line, clean shutdown, and state that survives a restart.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../support/emulator.js';
import { makeGitHome, run } from '../../support/git-home.js';
import { pathGit } from '../../support/gits.js';

const bundle = path.resolve(import.meta.dirname, '../../../dist/artifacts-emulator.cjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('artifacts-emulator CLI', () => {
  it('prints --help and exits 0; bad flags exit 2', async () => {
    const help = await run(process.execPath, [bundle, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--port <n>/);
    expect(help.stdout).toMatch(/ARTIFACTS_EMULATOR_API_TOKEN/);
    expect(help.stdout).toMatch(/--jwt <token>.*ARTIFACTS_EMULATOR_JWT/s);
    expect((await run(process.execPath, [bundle, '--port', 'abc'])).code).toBe(2);
    expect((await run(process.execPath, [bundle, '--bogus'])).code).toBe(2);
  });

  it('takes --api-token, prints the URL first, and exits 0 on SIGTERM', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
    dirs.push(data);
    const child = spawn(process.execPath, [bundle, '--port', '0', '--data', data, '--api-token', 'flag-token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
    const url = /^artifacts-emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(first)?.[1];
    expect(url).toBeDefined();
    const res = await fetch(`${url}/client/v4/accounts/a/artifacts/namespaces/ns/repos`, { headers: { Authorization: 'Bearer flag-token' } });
    expect(res.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('prints the gateway JWT it made up when none is given, accepts it on /v1/api, and takes --jwt', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
    dirs.push(data);
    const env = { ...process.env, ARTIFACTS_EMULATOR_API_TOKEN: 'api-token-1', ARTIFACTS_EMULATOR_JWT: '' };
    const child = spawn(process.execPath, [bundle, '--port', '0', '--data', data], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
    const url = /listening on (http:\/\/\S+)\n/.exec(first)?.[1];
    // Printed once the server listens (a server that never starts does not print it: issue 21), so just after that line.
    const jwtLine = /no gateway JWT given \(--jwt or ARTIFACTS_EMULATOR_JWT\); this run accepts: (eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)\n/;
    for (let i = 0; i < 100 && !jwtLine.test(stderr); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const jwt = jwtLine.exec(stderr)?.[1];
    expect(jwt, stderr).toBeDefined();
    expect((await fetch(`${url}/v1/api/namespaces/ns/repos`, { headers: { Authorization: `Bearer ${jwt}` } })).status).toBe(200);
    expect((await fetch(`${url}/v1/api/namespaces/ns/repos`, { headers: { Authorization: 'Bearer api-token-1' } })).status).toBe(401);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);

    const flagged = spawn(process.execPath, [bundle, '--port', '0', '--data', data, '--jwt', 'flag-jwt'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => flagged.stdout.once('data', (c: Buffer) => resolve(c.toString())));
    const flaggedUrl = /listening on (http:\/\/\S+)\n/.exec(line)?.[1];
    expect((await fetch(`${flaggedUrl}/edge/v1/api/namespaces/ns/repos`, { headers: { Authorization: 'Bearer flag-jwt' } })).status).toBe(200);
    const flaggedExit = new Promise<number | null>((resolve) => flagged.once('exit', (code) => resolve(code)));
    flagged.kill('SIGTERM');
    expect(await flaggedExit).toBe(0);
  });

  it('refuses a gateway JWT equal to the API token', async () => {
    const r = await run(process.execPath, [bundle, '--port', '0', '--api-token', 'same', '--jwt', 'same']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the gateway JWT and the API token must differ/);
  });
});

describe('time bounds', () => {
  it('kills a git http-backend child that hangs (--git-timeout) and keeps serving', async () => {
    const emu = await startEmulator({ args: ['--git-timeout', '1'] });
    try {
      const repo = await emu.createRepo('slow', 'r');
      const target = new URL(`${repo.remote}/git-upload-pack`);
      // Promise 1000 body bytes, send 4, never finish: the backend waits for stdin forever.
      const outcome = await new Promise<string>((resolve) => {
        const req = http.request(target, {
          method: 'POST',
          headers: { Authorization: `Bearer ${repo.token}`, 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Length': '1000' },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve(`status ${res.statusCode}`));
          res.on('error', () => resolve('reset'));
        });
        req.on('error', () => resolve('reset'));
        req.write('0000');
      });
      // Answered at all (504, or the connection reset) means the bound ended the child.
      expect(outcome).toMatch(/status 504|reset/);
      expect((await emu.rest('GET', `${emu.nsUrl('slow').slice(emu.url.length)}/repos/r`)).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });
});

describe(`persistence with ${pathGit().label}`, () => {
  it('keeps repos, tokens (with states) and git data across a restart', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'emu-persist-'));
    dirs.push(data);
    const apiToken = 'persist-token';
    const home = makeGitHome();
    try {
      let emu = await startEmulator({ dataDir: data, apiToken });
      const repo = await emu.createRepo('keep', 'kept');
      const read = await emu.mintToken('keep', 'kept', 'read', 3600);
      const gone = await emu.mintToken('keep', 'kept', 'read', 3600);
      await emu.revoke(gone.id);
      await home.git(['init', '-q', 'w']);
      await home.git(['commit', '-q', '--allow-empty', '-m', 'persisted'], { cwd: path.join(home.dir, 'w') });
      const url = repo.remote.replace('http://', `http://x:${encodeURIComponent(repo.token)}@`);
      expect((await home.git(['push', '-q', url, 'main'], { cwd: path.join(home.dir, 'w') })).code).toBe(0);
      await emu.stop();

      expect(statSync(data).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(data, 'state.json')).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(data, 'git')).mode & 0o777).toBe(0o700);

      emu = await startEmulator({ dataDir: data, apiToken });
      try {
        const nsPath = emu.nsUrl('keep').slice(emu.url.length);
        const got = await emu.rest<{ id: string; last_push_at: string | null }>('GET', `${nsPath}/repos/kept`);
        expect(got.body.result.id).toBe(repo.id);
        expect(got.body.result.last_push_at).not.toBeNull();
        const tokens = await emu.rest<{ id: string; state: string }[]>('GET', `${nsPath}/repos/kept/tokens?state=all`);
        expect(tokens.body.result.map((t) => `${t.id}:${t.state}`).sort()).toEqual(
          [`${read.id}:active`, `${gone.id}:revoked`, `${tokens.body.result.find((t) => t.id !== read.id && t.id !== gone.id)?.id}:active`].sort(),
        );
        // the remote moved to the new port, the token still opens it, the revoked one doesn't
        const remote = `${emu.url}/git/keep/kept.git`;
        const auth = (t: string): NodeJS.ProcessEnv => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${t}` });
        const ls = await home.git(['ls-remote', remote], { env: auth(read.plaintext) });
        expect(ls.stdout).toMatch(/refs\/heads\/main/);
        expect((await home.git(['ls-remote', remote], { env: auth(gone.plaintext) })).code).not.toBe(0);
      } finally {
        await emu.stop();
      }
    } finally {
      home.cleanup();
    }
  });
});
