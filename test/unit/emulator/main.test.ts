// artifacts-emulator in-process: what a person can get wrong when starting it, as table rows
// {argv, wantCode, wantStderr}. Each ends in one `artifacts-emulator: …` line and a hint, with
// no stack and no "please report it"; none may hang (before, --data under /proc never returned).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEntry as emulatorMain } from '../../../src/demo/emulator-entry.js';
import { memoryIo, runInProcess } from '../../support/in-process.js';

// node:http, not fetch(): under Wine, undici's connect fails (`connect UNKNOWN`) where
// node:http works, and the emulator is what this tests.
const get = (url: string, headers: Record<string, string> = {}): Promise<number> =>
  new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
  });

const dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-main-'));
const file = path.join(dir, 'a-file');
writeFileSync(file, 'not a directory\n');
const badState = path.join(dir, 'bad-state');
const busy = net.createServer();
let busyPort = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(badState);
  writeFileSync(path.join(badState, 'state.json'), '{ not json');
});
afterAll(() => {
  busy.close();
  rmSync(dir, { recursive: true, force: true });
});

const credentials = { ARTIFACTS_EMULATOR_API_TOKEN: 'api-token', ARTIFACTS_EMULATOR_JWT: 'gateway-jwt' };

function run(argv: string[], signal?: AbortSignal) {
  return runInProcess((io) => emulatorMain(io, signal), { argv, env: credentials, cwd: dir });
}

describe('artifacts-emulator start-up errors', () => {
  const rows: Array<{ name: string; argv: () => string[]; wantCode: number; wantStderr: RegExp }> = [
    { name: 'busy port', argv: () => ['--port', String(busyPort)], wantCode: 1, wantStderr: /^artifacts-emulator: cannot listen on 127\.0\.0\.1:\d+: the port is in use\nartifacts-emulator: hint: pass another --port, or --port 0/ },
    { name: 'unknown --host', argv: () => ['--host', 'no-such-host.invalid'], wantCode: 2, wantStderr: /^artifacts-emulator: --host no-such-host\.invalid: no such host \(\w+\)\nartifacts-emulator: hint: / },
    { name: '--host not of this machine', argv: () => ['--host', '192.0.2.1'], wantCode: 2, wantStderr: /^artifacts-emulator: --host 192\.0\.2\.1: not an address of this machine \(EADDRNOTAVAIL\)\n.*hint: / },
    { name: '--data under a regular file', argv: () => ['--data', path.join(file, 'x')], wantCode: 2, wantStderr: /^artifacts-emulator: --data .*a-file[\\/]x: .*a-file exists and is not a directory\n.*hint: pass a path that is not under the file / },
    { name: '--data is a regular file', argv: () => ['--data', file], wantCode: 2, wantStderr: /exists and is not a directory\n.*hint: pass a directory, or a path that does not exist yet/ },
// Linux's /proc only: on Windows /proc/nonexistent/x is an ordinary path on the current drive.
    ...(process.platform === 'win32' ? [] : [{ name: '--data under /proc (Node\'s recursive mkdir spins forever there)', argv: () => ['--data', '/proc/nonexistent/x'], wantCode: 2, wantStderr: /^artifacts-emulator: --data \/proc\/nonexistent\/x: cannot create \/proc\/nonexistent \(ENOENT\)\n.*hint: / }]),
    { name: '--data with a state.json that is not ours', argv: () => ['--data', badState], wantCode: 2, wantStderr: /^artifacts-emulator: --data .*bad-state: cannot use it as the emulator's state directory \(its state\.json is not valid JSON\)\n.*hint: / },
    { name: 'unknown flag', argv: () => ['--bogus'], wantCode: 2, wantStderr: /^artifacts-emulator: unknown option '--bogus'\nartifacts-emulator: hint: see `artifacts-emulator --help`\n$/ },
    { name: 'bad --port', argv: () => ['--port', 'abc'], wantCode: 2, wantStderr: /^artifacts-emulator: option '--port <n>' argument 'abc' is invalid\. expected an integer from 0 to 65535\nartifacts-emulator: hint: / },
  ];
  it.each(rows)('$name', async ({ argv, wantCode, wantStderr }) => {
    const r = await run(argv());
    expect(r.stderr).toMatch(wantStderr);
    expect(r.stderr).not.toMatch(/please report|\n\s+at /);
    expect(r.code).toBe(wantCode);
    expect(r.stdout).toBe('');
  });

  it('--version and --help print to stdout and exit 0', async () => {
    const version = await run(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^(\d+\.\d+\.\d+|dev)\n$/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--version/);
    expect(help.stdout).toMatch(/artifacts-emulator demo --help/);
  });

  it.each([
    { argv: ['demo', '--help'], wantCode: 0, wantStdout: /^Usage: artifacts-emulator demo \[options\][\s\S]*--keep +keep the temp dir/, wantStderr: /^$/ },
    { argv: ['demo', '--bogus'], wantCode: 2, wantStdout: /^$/, wantStderr: /^artifacts-emulator demo: unknown option '--bogus'\nartifacts-emulator demo: hint: see `artifacts-emulator demo --help`\n$/ },
    { argv: ['demo', 'extra'], wantCode: 2, wantStdout: /^$/, wantStderr: /^artifacts-emulator demo: too many arguments/ },
  ])('$argv: parsed before anything runs (--help ran the demo, unknown flags were ignored)', async ({ argv, wantCode, wantStdout, wantStderr }) => {
    const tmp = mkdtempSync(path.join(dir, 'tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir(): where a demo that ran would have made its dir
    try {
      const r = await run(argv);
      expect(r.stdout).toMatch(wantStdout);
      expect(r.stderr).toMatch(wantStderr);
      expect(r.code).toBe(wantCode);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it.each([
    { argv: ['help'], wantCode: 0, wantStdout: /^Usage: artifacts-emulator \[options\][\s\S]*--port <n>/, wantStderr: /^$/ },
    { argv: ['help', 'demo'], wantCode: 0, wantStdout: /^Usage: artifacts-emulator demo \[options\][\s\S]*--keep/, wantStderr: /^$/ },
    { argv: ['help', 'nosuch'], wantCode: 2, wantStdout: /^$/, wantStderr: /^artifacts-emulator: no help for "nosuch": the emulator has one command, `demo`\nartifacts-emulator: hint: see `artifacts-emulator --help` or `artifacts-emulator demo --help`\n$/ },
    { argv: ['demo', '--version'], wantCode: 0, wantStdout: /^(\d+\.\d+\.\d+|dev)\n$/, wantStderr: /^$/ },
  ])('$argv: useful output (issue 21)', async ({ argv, wantCode, wantStdout, wantStderr }) => {
    const r = await run(argv);
    expect(r.stdout).toMatch(wantStdout);
    expect(r.stderr).toMatch(wantStderr);
    expect(r.code).toBe(wantCode);
  });

  it.each([
    ['unknown --host', ['--host', 'no-such-host.invalid'], /^artifacts-emulator: --host no-such-host\.invalid: no such host \(\w+\)\n.*hint: [^\n]*\n$/],
    ['busy port', () => ['--port', String(busyPort)], /^artifacts-emulator: cannot listen on 127\.0\.0\.1:\d+: the port is in use\n.*hint: [^\n]*\n$/],
  ])('%s with made-up credentials: the real error alone, no "this run accepts" lines (issue 21)', async (_name, argv, want) => {
    const r = await runInProcess((io) => emulatorMain(io), { argv: typeof argv === 'function' ? argv() : argv, env: {}, cwd: dir });
    expect(r.stderr).toMatch(want);
    expect(r.stderr).not.toMatch(/this run accepts/);
    expect(r.stdout).toBe('');
  });

  it('resolveHost: a lookup that fails or hangs is one usage error, an IP literal is not looked up', async () => {
    const { resolveHost } = await import('../../../src/emulator/start-up.js');
    await expect(resolveHost('127.0.0.1', () => Promise.reject(new Error('not asked')))).resolves.toBeUndefined();
    await expect(resolveHost('x.invalid', () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })))).rejects.toThrow(/^--host x\.invalid: no such host \(ENOTFOUND\)$/);
    await expect(resolveHost('y.invalid', () => Promise.reject(Object.assign(new Error('x'), { code: 'weird\ncode' })))).rejects.toThrow(/no such host \(ENOTFOUND\)$/);
  });

  it('listenError: a code Node does not use (Bun has its own) is still one line, no stack', async () => {
    const { listenError } = await import('../../../src/emulator/start-up.js');
    const e = listenError(Object.assign(new Error('ENOTTY: listen'), { code: 'ENOTTY' }), '127.0.0.1', 0) as Error;
    expect(e.message).toBe('cannot listen on 127.0.0.1:0: ENOTTY');
  });

  it('a stop asked for while starting ends it without listening', async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await run(['--data', path.join(dir, 'fresh')], stop.signal);
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('artifacts-emulator serving in-process', () => {
  it('starts, answers REST with its API token only, and stops cleanly when its signal aborts', async () => {
    const { io, stderr } = memoryIo({ argv: ['--port', '0', '--data', path.join(dir, 'serving')], env: credentials, cwd: dir });
    // The first stdout line is what tests and the demo wait for.
    let firstLine!: (line: string) => void;
    const listening = new Promise<string>((resolve) => (firstLine = resolve));
    let stdout = '';
    io.stdout = new Writable({
      write: (c, _e, cb) => {
        stdout += String(c);
        if (stdout.includes('\n')) firstLine(stdout.split('\n')[0]!);
        cb();
      },
    });
    const stop = new AbortController();
    const exited = emulatorMain(io, stop.signal);
    const line = await Promise.race([listening, exited.then((code) => `exited ${code}: ${stderr()}`)]);
    const url = /^artifacts-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
    expect(url, line).toBeDefined();
    const repos = `${url}/client/v4/accounts/acct/artifacts/namespaces/default/repos`;
    expect(await get(repos, { authorization: 'Bearer api-token' })).toBe(200);
    expect(await get(repos, { authorization: 'Bearer gateway-jwt' })).toBe(401);
    stop.abort();
    expect(await exited).toBe(0);
    expect(stderr()).toBe(''); // both credentials given: nothing generated to announce
    await expect(get(repos)).rejects.toThrow(); // no longer listening
  });
});
