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
// Not on the credential helper's hot path: only cold code (minting, the CLI, the remote
// helper, the emulator) imports it.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { spawnPlan, type Argv } from './batch-file.js';
import { ArtifactsError } from './errors.js';

export type { Argv };

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

/** Exit code as a shell reports it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** The error for a command that could not start (ENOENT, EACCES, …). */
export function startFailed(label: string, command: string, e: Error, hint: string | undefined): ArtifactsError {
  return new ArtifactsError('process.failed', `cannot start \`${label}\` (${(e as NodeJS.ErrnoException).code ?? e.message})`, {
    hint: hint ?? `check that ${command} is installed and on PATH`,
    cause: e,
  });
}

/**
 * The signal to pass on to a child. Windows (libuv uv_kill) delivers only SIGINT, SIGTERM,
 * SIGQUIT and SIGKILL, all as TerminateProcess; any other throws ENOSYS. So a SIGHUP that
 * reached us (the console closed) ends the child as SIGTERM would.
 */
export function deliverableSignal(signal: NodeJS.Signals, platform: NodeJS.Platform = process.platform): NodeJS.Signals {
  if (platform !== 'win32') return signal;
  return ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGKILL'].includes(signal) ? signal : 'SIGTERM';
}

/**
 * Ends pid and everything it started on Windows, where there are no process groups: taskkill
 * /T walks the tree by parent pid, /F terminates (https://learn.microsoft.com/windows-server/administration/windows-commands/taskkill).
 * Bounded, quiet, and never throws: the tree may be gone already.
 */
export function killTree(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  try {
    spawnSync('taskkill', ['/T', '/F', '/PID', String(pid)], { env, stdio: 'ignore', timeout: 5_000, windowsHide: true });
  } catch {
    // No taskkill (or it hung): the caller's own child.kill() below still ends the child.
  }
}

export function start(argv: Argv, o: StartOptions, platform = process.platform): Started {
  const plan = spawnPlan(argv, o.env, platform);
  const [command, ...args] = plan.argv;
  const group = o.group === true;
  const posixGroup = group && platform !== 'win32';
  const child = spawn(command, args, { env: o.env, cwd: o.cwd, stdio: o.stdio, detached: posixGroup, windowsHide: true, windowsVerbatimArguments: plan.verbatim });
  // A child that never started, or has ended, has nothing to kill: Node would emit `kill EINVAL`
  // (or ESRCH) as an 'error' event nobody listens to any more, and crash as an unexpected error.
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = (signal: NodeJS.Signals = 'SIGKILL'): void => {
    if (!running()) return;
    if (posixGroup) {
      try {
        process.kill(-child.pid!, signal);
        return;
      } catch {
        // The group is gone already; the child may still be there to reap.
      }
    } else if (group && signal === 'SIGKILL') killTree(child.pid!, o.env);
    try {
      child.kill(deliverableSignal(signal, platform));
    } catch {
      // Gone between the check and the kill.
    }
  };
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
  const started = start(argv, { env: o.env, cwd: o.cwd, stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], label, hint: o.hint, group: true });
  const { child } = started;
  let failure: ArtifactsError | undefined;
  const stop = (e: ArtifactsError): void => {
    failure ??= e;
    started.kill('SIGKILL');
  };
  let truncated = false;
  const capture = (stream: NodeJS.ReadableStream | null, isStdout: boolean): (() => Buffer) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let full = false;
    stream?.on('data', (chunk: Buffer) => {
      if (full) return;
      if (size + chunk.length <= max) {
        chunks.push(chunk);
        size += chunk.length;
      } else if (o.overflow === 'truncate') {
        chunks.push(chunk.subarray(0, max - size));
        size = max;
        full = true;
        // A prefix of stdout is the answer: end the child there. Of stderr, only keep less.
        if (isStdout) {
          truncated = true;
          started.kill('SIGKILL');
        }
      } else {
        stop(new ArtifactsError('process.failed', `\`${label}\` printed more than ${max} bytes`, { hint: o.hint ?? 'run it by hand to see what it prints' }));
      }
    });
    return () => Buffer.concat(chunks);
  };
  const stdout = capture(child.stdout, true);
  const stderr = capture(child.stderr, false);
  if (o.input !== undefined) {
    child.stdin?.on('error', () => undefined); // EPIPE: it stopped reading; its exit code tells
    child.stdin?.end(o.input);
  }
  const seconds = Math.max(1, Math.round(o.timeoutMs / 1000));
  // The bound answers by itself: 'close' waits for every holder of the pipes, and a descendant
  // that left the group (setsid, a daemonising helper) is out of reach of the group kill.
  let timedOut: (e: ArtifactsError) => void = () => undefined;
  const bound = new Promise<never>((_, reject) => (timedOut = reject));
  const timer = setTimeout(() => {
    stop(new ArtifactsError('process.timeout', `\`${label}\` did not answer within ${seconds} s`, { hint: o.hint ?? 'try again; if it keeps happening, run it by hand to see why' }));
    child.stdout?.destroy();
    child.stderr?.destroy();
    timedOut(failure!);
  }, Math.max(1, o.timeoutMs));
  const done = started.exited.then(
    (exitCode) => {
      clearTimeout(timer);
      if (failure) throw failure;
      const bytes = stdout();
      return { exitCode, stdout: bytes.toString('utf8'), stderr: stderr().toString('utf8'), stdoutBytes: bytes, truncated };
    },
    (e: unknown) => {
      clearTimeout(timer);
      throw e;
    },
  );
  return Promise.race([done, bound]);
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
  const r = spawnSync(command, args, { env: o.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: Math.max(1, o.timeoutMs), killSignal: 'SIGKILL', maxBuffer: max });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') {
    const seconds = Math.max(1, Math.round(o.timeoutMs / 1000));
    throw new ArtifactsError('process.timeout', `\`${label}\` did not answer within ${seconds} s`, { hint: o.hint ?? 'try again; if it keeps happening, run it by hand to see why' });
  }
  if (code === 'ENOBUFS') throw new ArtifactsError('process.failed', `\`${label}\` printed more than ${max} bytes`, { hint: o.hint ?? 'run it by hand to see what it prints' });
  if (r.error) {
    throw startFailed(label, command, r.error, o.hint);
  }
  return { exitCode: exitCodeOf(r.status, r.signal), stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout, truncated: false };
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
