import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverableSignal, failedStderr, run, runChecked, runSync, start } from '../../../src/child-process.js';
import { ArtifactsError } from '../../../src/errors.js';
import { alive } from '../../support/process.js';

// The children are Node scripts (process.execPath), so the tables run on every OS; only what is
// POSIX by nature (signals, process groups, setsid) is skipped on Windows, saying so.
const env = { PATH: process.env.PATH, ...(process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}) };
const node = (script: string, ...args: string[]): [string, ...string[]] => [process.execPath, '-e', script, ...args];
const windows = process.platform === 'win32';
const sleeper = 'setTimeout(() => {}, 600_000)';
// A child that starts a grandchild sleeping, writes its pid, says ready, and sleeps too.
const parentOfSleeper = (pidFile: string): [string, ...string[]] =>
  node(
    `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(sleeper)}], { stdio: ['ignore', 'inherit', 'ignore'] });
     require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); console.log('ready'); ${sleeper}`,
  );
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'child-process-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<ArtifactsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ArtifactsError);
  return e as ArtifactsError;
}

describe('run', () => {
  it.each([
    { what: 'stdout and the exit code', argv: node('process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3'), input: undefined, want: { exitCode: 3, stdout: 'out', stderr: 'err' } },
    { what: 'stdin from input', argv: node('process.stdin.pipe(process.stdout)'), input: 'fed\n', want: { exitCode: 0, stdout: 'fed\n', stderr: '' } },
    { what: 'no stdin without input', argv: node('process.stdin.pipe(process.stdout)'), input: undefined, want: { exitCode: 0, stdout: '', stderr: '' } },
    {
      what: 'argv as given, no shell',
      argv: node('process.stdout.write(process.argv.slice(1).join("|"))', '$HOME', '; echo no', '"quoted" %PATH% & x'),
      input: undefined,
      want: { exitCode: 0, stdout: '$HOME|; echo no|"quoted" %PATH% & x', stderr: '' },
    },
  ])('$what', async ({ argv, input, want }) => {
    expect(await run(argv as [string, ...string[]], { env, timeoutMs: 30_000, input })).toMatchObject({ ...want, truncated: false });
  });

  it.skipIf(windows)('a signal as 128 + its number (POSIX signals; Windows has none)', async () => {
    expect(await run(['sh', '-c', 'kill -TERM $$'], { env, timeoutMs: 30_000 })).toMatchObject({ exitCode: 143, truncated: false });
  });

  it('only the given environment', async () => {
    const r = await run(node('process.stdout.write(process.env.SECRET_THING ?? "unset")'), { env, timeoutMs: 30_000 });
    expect(r.stdout).toBe('unset');
  });

  it('a command that is not there: process.failed with a hint', async () => {
    const e = await failure(run(['no-such-command-here'], { env, timeoutMs: 30_000 }));
    expect(e.code).toBe('process.failed');
    expect(e.message).toBe('cannot start `no-such-command-here` (ENOENT)');
    expect(e.hint).toBe('check that no-such-command-here is installed and on PATH');
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('at the bound the whole group ends, a grandchild holding stdout included', async () => {
    const pidFile = path.join(dir, 'pid');
    const e = await failure(run(parentOfSleeper(pidFile), { env, timeoutMs: 2_000, label: 'the sleeper', hint: 'wake it' }));
    expect(e.code).toBe('process.timeout');
    expect(e.message).toBe('`the sleeper` did not answer within 2 s');
    expect(e.hint).toBe('wake it');
    // The kernel closes a killed process's pipes a moment before it shows as a zombie.
    await expect.poll(() => alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it.skipIf(windows)('at the bound it answers even when a descendant left the group (setsid, POSIX-only) and holds stdout open', async () => {
    const pidFile = path.join(dir, 'pid');
    const e = await failure(run(['sh', '-c', `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 600' & exec sleep 600`], { env, timeoutMs: 300 }));
    expect(e.code).toBe('process.timeout');
    await expect.poll(() => readFileSync(pidFile, 'utf8').trim()).toMatch(/^\d+$/);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  }, 5_000);

  it('more output than the bound is a failure, and ends it', async () => {
    const e = await failure(run(node('for (;;) process.stdout.write("y".repeat(1024) + "\\n")'), { env, timeoutMs: 30_000, maxOutputBytes: 4096, label: 'yes' }));
    expect(e.code).toBe('process.failed');
    expect(e.message).toBe('`yes` printed more than 4096 bytes');
  });
  it("overflow 'truncate': the first bytes, the child ended, and truncated set", async () => {
    const r = await run(node('const w = () => process.stdout.write("0123456789".repeat(100), w); w()'), { env, timeoutMs: 30_000, maxOutputBytes: 25, overflow: 'truncate' });
    expect(r.truncated).toBe(true);
    expect(r.stdoutBytes.toString()).toBe('0123456789012345678901234');
    // 128 + SIGKILL; Node on Windows reports the signal it was asked to send, too.
    expect(r.exitCode).toBe(137);
  });

  it('binary stdout comes through as bytes', async () => {
    const r = await run(node('process.stdout.write(Buffer.from([0, 255]))'), { env, timeoutMs: 30_000 });
    expect([...r.stdoutBytes]).toEqual([0, 255]);
    expect(r.truncated).toBe(false);
  });
});

describe('runSync: the same answers and failures, without an event-loop turn', () => {
  it('stdout, stderr and the exit code', () => {
    const argv = node('process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3');
    expect(runSync(argv, { env, timeoutMs: 30_000 })).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err', truncated: false });
  });
  it.skipIf(windows)('a signal as 128 + its number (POSIX signals; Windows has none)', () => {
    expect(runSync(['sh', '-c', 'kill -TERM $$'], { env, timeoutMs: 30_000 }).exitCode).toBe(143);
  });
  it('no stdin, only the given environment', () => {
    const argv = node('process.stdin.resume(); process.stdin.on("end", () => process.stdout.write(process.env.SECRET_THING ?? "unset"))');
    expect(runSync(argv, { env, timeoutMs: 30_000 }).stdout).toBe('unset');
  });
  it('a command that is not there: process.failed with a hint', () => {
    expect(() => runSync(['no-such-command-here'], { env, timeoutMs: 30_000 })).toThrow(expect.objectContaining({ code: 'process.failed', message: 'cannot start `no-such-command-here` (ENOENT)' }));
  });
  it('at the bound: process.timeout', () => {
    const started = Date.now();
    expect(() => runSync(node(sleeper), { env, timeoutMs: 1_000, label: 'the sleeper' })).toThrow(expect.objectContaining({ code: 'process.timeout', message: '`the sleeper` did not answer within 1 s' }));
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it('more output than the bound is a failure', () => {
    expect(() => runSync(node('process.stdout.write("y".repeat(100_000))'), { env, timeoutMs: 30_000, maxOutputBytes: 4096, label: 'yes' })).toThrow(
      expect.objectContaining({ code: 'process.failed', message: '`yes` printed more than 4096 bytes' }),
    );
  });
});

describe('runChecked', () => {
  it('passes a zero exit through', async () => {
    expect((await runChecked(node('console.log("ok")'), { env, timeoutMs: 30_000 })).stdout).toBe('ok\n');
  });

  it('a non-zero exit names the command and the first line of its stderr', async () => {
    const e = await failure(runChecked(node('process.stderr.write("fatal: no\\nmore\\n"); process.exitCode = 128'), { env, timeoutMs: 30_000, label: 'git fetch' }));
    expect(e.code).toBe('process.failed');
    expect(e.message).toBe('`git fetch` failed (exit 128): fatal: no');
    expect(failedStderr(e)).toBe('fatal: no\nmore\n');
    expect(failedStderr(new Error('x'))).toBe('');
  });
});

describe('start', () => {
  it('wires stdio as asked and reports the exit code', async () => {
    const s = start(node('let x = ""; process.stdin.on("data", (c) => (x += c)).on("end", () => process.stdout.write("got " + x))'), {
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    s.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    s.child.stdin!.end('line\n');
    expect(await s.exited).toBe(0);
    expect(out).toBe('got line\n');
  });

  it('kill() in a group ends what the child started', async () => {
    const pidFile = path.join(dir, 'pid');
    const s = start(parentOfSleeper(pidFile), { env, stdio: ['ignore', 'pipe', 'inherit'], group: true });
    await new Promise<void>((resolve) => s.child.stdout!.once('data', () => resolve()));
    s.kill();
    expect(await s.exited).toBe(137);
    // The kernel closes a killed process's pipes a moment before it shows as a zombie.
    await expect.poll(() => alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('a command that is not there rejects with the hint given', async () => {
    const e = await failure(start(['no-such-command-here'], { env, stdio: 'ignore', hint: 'install it' }).exited);
    expect(e.hint).toBe('install it');
  });

  it('kill() of a child that never started is a no-op, not an unexpected `kill EINVAL`', async () => {
    const s = start(['no-such-command-here'], { env, stdio: 'ignore', group: true });
    s.kill();
    await failure(s.exited);
    expect(() => s.kill('SIGTERM')).not.toThrow();
    await new Promise((r) => setTimeout(r, 50)); // a late 'error' event would surface here as an unhandled error
  });
});

describe('deliverableSignal: what a child can be sent, by platform', () => {
  it.each([
    ['SIGHUP', 'linux', 'SIGHUP'],
    ['SIGQUIT', 'darwin', 'SIGQUIT'],
    ['SIGHUP', 'win32', 'SIGTERM'],
    ['SIGUSR1', 'win32', 'SIGTERM'],
    ['SIGINT', 'win32', 'SIGINT'],
    ['SIGTERM', 'win32', 'SIGTERM'],
    ['SIGKILL', 'win32', 'SIGKILL'],
  ] as const)('%s on %s: %s', (signal, platform, want) => {
    expect(deliverableSignal(signal, platform)).toBe(want);
  });
});
