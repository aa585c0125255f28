import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failedStderr, run, runChecked, runSync, start } from '../../../src/child-process.js';
import { ArtifactsError } from '../../../src/errors.js';
import { alive } from '../../support/process.js';

const env = { PATH: process.env.PATH };
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
    { what: 'stdout and the exit code', argv: ['sh', '-c', 'printf out; printf err >&2; exit 3'], input: undefined, want: { exitCode: 3, stdout: 'out', stderr: 'err' } },
    { what: 'stdin from input', argv: ['sh', '-c', 'cat'], input: 'fed\n', want: { exitCode: 0, stdout: 'fed\n', stderr: '' } },
    { what: 'no stdin without input', argv: ['sh', '-c', 'cat'], input: undefined, want: { exitCode: 0, stdout: '', stderr: '' } },
    { what: 'argv as given, no shell', argv: ['printf', '%s|', '$HOME', '; echo no'], input: undefined, want: { exitCode: 0, stdout: '$HOME|; echo no|', stderr: '' } },
    { what: 'a signal as 128 + its number', argv: ['sh', '-c', 'kill -TERM $$'], input: undefined, want: { exitCode: 143, stdout: '', stderr: '' } },
  ])('$what', async ({ argv, input, want }) => {
    expect(await run(argv as [string, ...string[]], { env, timeoutMs: 30_000, input })).toMatchObject({ ...want, truncated: false });
  });

  it('only the given environment', async () => {
    const r = await run(['sh', '-c', 'printf "%s" "${SECRET_THING-unset}"'], { env, timeoutMs: 30_000 });
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
    const e = await failure(
      run(['sh', '-c', `sleep 600 & echo $! > '${pidFile}'; exec sleep 600`], { env, timeoutMs: 300, label: 'the sleeper', hint: 'wake it' }),
    );
    expect(e.code).toBe('process.timeout');
    expect(e.message).toBe('`the sleeper` did not answer within 1 s');
    expect(e.hint).toBe('wake it');
    // The kernel closes a killed process's pipes a moment before it shows as a zombie.
    await expect.poll(() => alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('at the bound it answers even when a descendant left the group (setsid) and holds stdout open', async () => {
    const pidFile = path.join(dir, 'pid');
    const e = await failure(run(['sh', '-c', `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 600' & exec sleep 600`], { env, timeoutMs: 300 }));
    expect(e.code).toBe('process.timeout');
    await expect.poll(() => readFileSync(pidFile, 'utf8').trim()).toMatch(/^\d+$/);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  }, 5_000);

  it('more output than the bound is a failure, and ends it', async () => {
    const e = await failure(run(['sh', '-c', 'while :; do echo yyyyyyyyyyyyyyyy; done'], { env, timeoutMs: 30_000, maxOutputBytes: 4096, label: 'yes' }));
    expect(e.code).toBe('process.failed');
    expect(e.message).toBe('`yes` printed more than 4096 bytes');
  });
  it("overflow 'truncate': the first bytes, the child ended, and truncated set", async () => {
    const r = await run(['sh', '-c', 'while :; do printf 0123456789; done'], { env, timeoutMs: 30_000, maxOutputBytes: 25, overflow: 'truncate' });
    expect(r.truncated).toBe(true);
    expect(r.stdoutBytes.toString()).toBe('0123456789012345678901234');
    expect(r.exitCode).toBe(137);
  });

  it('binary stdout comes through as bytes', async () => {
    const r = await run(['printf', '\\000\\377'], { env, timeoutMs: 30_000 });
    expect([...r.stdoutBytes]).toEqual([0, 255]);
    expect(r.truncated).toBe(false);
  });
});

describe('runSync: the same answers and failures, without an event-loop turn', () => {
  it('stdout, stderr and the exit code; a signal as 128 + its number', () => {
    expect(runSync(['sh', '-c', 'printf out; printf err >&2; exit 3'], { env, timeoutMs: 30_000 })).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err', truncated: false });
    expect(runSync(['sh', '-c', 'kill -TERM $$'], { env, timeoutMs: 30_000 }).exitCode).toBe(143);
  });
  it('no stdin, only the given environment', () => {
    expect(runSync(['sh', '-c', 'cat; printf "%s" "${SECRET_THING-unset}"'], { env, timeoutMs: 30_000 }).stdout).toBe('unset');
  });
  it('a command that is not there: process.failed with a hint', () => {
    expect(() => runSync(['no-such-command-here'], { env, timeoutMs: 30_000 })).toThrow(expect.objectContaining({ code: 'process.failed', message: 'cannot start `no-such-command-here` (ENOENT)' }));
  });
  it('at the bound: process.timeout', () => {
    const started = Date.now();
    expect(() => runSync(['sleep', '600'], { env, timeoutMs: 200, label: 'the sleeper' })).toThrow(expect.objectContaining({ code: 'process.timeout', message: '`the sleeper` did not answer within 1 s' }));
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it('more output than the bound is a failure', () => {
    expect(() => runSync(['sh', '-c', 'while :; do echo yyyyyyyyyyyyyyyy; done'], { env, timeoutMs: 30_000, maxOutputBytes: 4096, label: 'yes' })).toThrow(
      expect.objectContaining({ code: 'process.failed', message: '`yes` printed more than 4096 bytes' }),
    );
  });
});

describe('runChecked', () => {
  it('passes a zero exit through', async () => {
    expect((await runChecked(['sh', '-c', 'echo ok'], { env, timeoutMs: 30_000 })).stdout).toBe('ok\n');
  });

  it('a non-zero exit names the command and the first line of its stderr', async () => {
    const e = await failure(runChecked(['sh', '-c', 'echo "fatal: no" >&2; echo more >&2; exit 128'], { env, timeoutMs: 30_000, label: 'git fetch' }));
    expect(e.code).toBe('process.failed');
    expect(e.message).toBe('`git fetch` failed (exit 128): fatal: no');
    expect(failedStderr(e)).toBe('fatal: no\nmore\n');
    expect(failedStderr(new Error('x'))).toBe('');
  });
});

describe('start', () => {
  it('wires stdio as asked and reports the exit code', async () => {
    const s = start(['sh', '-c', 'read x; echo "got $x"'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    s.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    s.child.stdin!.end('line\n');
    expect(await s.exited).toBe(0);
    expect(out).toBe('got line\n');
  });

  it('kill() in a group ends what the child started', async () => {
    const pidFile = path.join(dir, 'pid');
    const s = start(['sh', '-c', `sleep 600 & echo $! > '${pidFile}'; echo ready; wait`], { env, stdio: ['ignore', 'pipe', 'inherit'], group: true });
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
});
