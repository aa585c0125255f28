// Every child process we start goes through here: argv arrays (never a shell, so no character
// in a URL or a name can become a command), a time bound on every run that ends the child's
// whole process group (a grandchild holding a pipe open would otherwise hold us, and git,
// past the bound), captured output bounded in size, and failures as ArtifactsError with a
// hint, so report.ts renders them like any other error.
//
// Two shapes: run() for a command whose output we read (wrangler, `git config`, the
// emulator's git commands and object reads, the demo's git), and start() for a child whose stdio is wired
// straight through and that lives as long as its caller needs it (git's own transport under
// git-remote-artifacts, `git http-backend` under the emulator, the demo's emulator).
//
// Its parts: child-kill.ts (ending a child's group or tree), child-output.ts (the bounded
// capture). Other code imports this module only.
//
// Not on the credential helper's hot path: only cold code (minting, the CLI, the remote
// helper, the emulator) imports it.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { spawnPlan, type Argv } from './batch-file.js';
import { exitCodeOf, killerFor } from './child-kill.js';
import { captureOutput } from './child-output.js';
import { ArtifactsError } from './errors.js';

export type { Argv };
export { deliverableSignal, exitCodeOf, killTree } from './child-kill.js';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  stdio: StdioOptions;
  /** How messages name the command; default: the argv. Never put a secret in argv. */
  label?: string;
  /** What to do when it cannot start; default: install it or put it on PATH. */
  hint?: string;
  /**
   * Its own process group (POSIX), so kill() ends it and everything it started; on Windows a
   * SIGKILL ends its process tree (taskkill /T /F). Off for a child that should get the
   * terminal's Ctrl-C as its parent does.
   */
  group?: boolean;
}

export interface Started {
  child: ChildProcess;
  /** The exit code, 128 + the signal number if a signal ended it; rejects if it never started. */
  exited: Promise<number>;
  /** Ends the child (and its group, if it leads one). */
  kill(signal?: NodeJS.Signals): void;
}

function labelOf(argv: Argv, label: string | undefined): string {
  return label ?? argv.join(' ');
}

/** The error for a command that could not start (ENOENT, EACCES, …). */
export function startFailed(label: string, command: string, e: Error, hint: string | undefined): ArtifactsError {
  return new ArtifactsError('process.failed', `cannot start \`${label}\` (${(e as NodeJS.ErrnoException).code ?? e.message})`, {
    hint: hint ?? `check that ${command} is installed and on PATH`,
    cause: e,
  });
}

export function start(argv: Argv, o: StartOptions, platform = process.platform): Started {
  const plan = spawnPlan(argv, o.env, platform);
  const [command, ...args] = plan.argv;
  const group = o.group === true;
  const posixGroup = group && platform !== 'win32';
  const child = spawn(command, args, {
    env: o.env,
    cwd: o.cwd,
    stdio: o.stdio,
    detached: posixGroup,
    windowsHide: true,
    windowsVerbatimArguments: plan.verbatim,
  });
  const kill = killerFor(child, { group, posixGroup, env: o.env, platform });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => reject(startFailed(labelOf(argv, o.label), command, e, o.hint)));
    child.once('close', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
  child.on('error', () => undefined); // a later failure (a kill that raced the exit) must not crash us; exited told the first
  return { child, exited, kill };
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** The bound on the whole run, until the child's output is closed. */
  timeoutMs: number;
  /** Written to its stdin; none: stdin is /dev/null. */
  input?: string;
  /** Per stream. Default 1 MiB. */
  maxOutputBytes?: number;
  /**
   * What more output than that means: `fail` (the default; a silent cut would give wrong
   * answers), or `truncate`: keep the first maxOutputBytes, end the child, report `truncated`,
   * for a reader that can use a prefix (the emulator's object reads).
   */
  overflow?: 'fail' | 'truncate';
  label?: string;
  /** What to do when it cannot start or does not finish in time. */
  hint?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for binary output. */
  stdoutBytes: Buffer;
  /** With overflow 'truncate': stdout reached the bound and the child was ended there. */
  truncated: boolean;
}

/** Runs argv to its end within the bound; resolves whatever its exit code. */
export function run(argv: Argv, o: RunOptions): Promise<RunResult> {
  const label = labelOf(argv, o.label);
  const max = o.maxOutputBytes ?? 1024 * 1024;
  const stdio: StdioOptions = [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
  const started = start(argv, { env: o.env, cwd: o.cwd, stdio, label, hint: o.hint, group: true });
  const { child } = started;
  let failure: ArtifactsError | undefined;
  const stop = (e: ArtifactsError): void => {
    failure ??= e;
    started.kill('SIGKILL');
  };
  let truncated = false;
  const onTooMuch = (): void => stop(tooMuchOutput(label, max, o.hint));
  // A prefix of stdout is the answer: end the child there. Of stderr, only keep less.
  const onTruncated = (): void => {
    truncated = true;
    started.kill('SIGKILL');
  };
  const stdout = captureOutput(child.stdout, max, { overflow: o.overflow, onTruncated, onTooMuch });
  const stderr = captureOutput(child.stderr, max, { overflow: o.overflow, onTruncated: () => undefined, onTooMuch });
  feed(child, o.input);
  const bound = timeBound(o.timeoutMs, () => {
    stop(timedOut(label, o.timeoutMs, o.hint));
    child.stdout?.destroy();
    child.stderr?.destroy();
    return failure!;
  });
  const done = started.exited.then(
    (exitCode) => {
      bound.clear();
      if (failure) throw failure;
      const bytes = stdout();
      return { exitCode, stdout: bytes.toString('utf8'), stderr: stderr().toString('utf8'), stdoutBytes: bytes, truncated };
    },
    (e: unknown) => {
      bound.clear();
      throw e;
    },
  );
  return Promise.race([done, bound.expired]);
}

function feed(child: ChildProcess, input: string | undefined): void {
  if (input === undefined) return;
  child.stdin?.on('error', () => undefined); // EPIPE: it stopped reading; its exit code tells
  child.stdin?.end(input);
}

/**
 * The bound of a run: `expired` rejects with what `expire()` returns once `ms` have passed. It
 * answers by itself: 'close' waits for every holder of the pipes, and a descendant that left
 * the group (setsid, a daemonising helper) is out of reach of the group kill.
 */
function timeBound(ms: number, expire: () => ArtifactsError): { expired: Promise<never>; clear(): void } {
  let reject: (e: ArtifactsError) => void = () => undefined;
  const expired = new Promise<never>((_, r) => (reject = r));
  const timer = setTimeout(() => reject(expire()), Math.max(1, ms));
  return { expired, clear: () => clearTimeout(timer) };
}

function timedOut(label: string, timeoutMs: number, hint: string | undefined): ArtifactsError {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  return new ArtifactsError('process.timeout', `\`${label}\` did not answer within ${seconds} s`, {
    hint: hint ?? 'try again; if it keeps happening, run it by hand to see why',
  });
}

function tooMuchOutput(label: string, max: number, hint: string | undefined): ArtifactsError {
  return new ArtifactsError('process.failed', `\`${label}\` printed more than ${max} bytes`, { hint: hint ?? 'run it by hand to see what it prints' });
}

/**
 * run() without giving up the thread: for a short command whose answer the caller waits for
 * before doing anything else (git-remote-artifacts's one `git config`, which every push and
 * fetch through it pays). In the Bun single executable an asynchronous child cost ~6-10 ms
 * more than a synchronous one (README.md, "Speed"). spawnSync cannot end a process group, so
 * only for commands that start no children of their own.
 */
export function runSync(argv: Argv, o: Omit<RunOptions, 'input' | 'overflow'>): RunResult {
  const [command, ...args] = argv;
  const label = labelOf(argv, o.label);
  const max = o.maxOutputBytes ?? 1024 * 1024;
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
  const r = spawnSync(command, args, { env: o.env, cwd: o.cwd, stdio, timeout: Math.max(1, o.timeoutMs), killSignal: 'SIGKILL', maxBuffer: max });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') throw timedOut(label, o.timeoutMs, o.hint);
  if (code === 'ENOBUFS') throw tooMuchOutput(label, max, o.hint);
  if (r.error) {
    throw startFailed(label, command, r.error, o.hint);
  }
  const [stdout, stderr] = [r.stdout.toString('utf8'), r.stderr.toString('utf8')];
  return { exitCode: exitCodeOf(r.status, r.signal), stdout, stderr, stdoutBytes: r.stdout, truncated: false };
}

/** run(), and a non-zero exit is a failure whose message carries the first line of its stderr. */
export async function runChecked(argv: Argv, o: RunOptions): Promise<RunResult> {
  const r = await run(argv, o);
  if (r.exitCode !== 0) {
    const first = r.stderr.trim().split('\n')[0]?.slice(0, 500);
    throw new ArtifactsError('process.failed', `\`${labelOf(argv, o.label)}\` failed (exit ${r.exitCode})${first ? `: ${first}` : ''}`, {
      hint: o.hint,
      cause: r,
    });
  }
  return r;
}

/** The stderr of a runChecked() failure, for callers that tell failures apart by it. */
export function failedStderr(e: unknown): string {
  const cause = e instanceof ArtifactsError ? (e.cause as Partial<RunResult> | undefined) : undefined;
  return typeof cause?.stderr === 'string' ? cause.stderr : '';
}
