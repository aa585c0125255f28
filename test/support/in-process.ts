// Runs a main(io) in-process, as cli/cli's helper_test.go runs a command: argv, stdin, env and a
// clock in; exit code, stdout and stderr out. No process is started for the main itself.
import { Readable, Writable } from 'node:stream';
import type { Io } from '../../src/io.js';

export interface InProcessRun {
  argv: string[];
  /** Text, or a stream (a terminal that types later). */
  stdin?: string | Readable;
  /** Called with everything on stderr so far after each write (a test that waits for a notice). */
  onStderr?: (soFar: string) => void;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  cwd?: string;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function memoryIo(run: InProcessRun): { io: Io; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    argv: run.argv,
    stdin: run.stdin instanceof Readable ? run.stdin : Readable.from(run.stdin === undefined ? [] : [Buffer.from(run.stdin)]),
    stdout: new Writable({ write: (c, _e, cb) => ((stdout += String(c)), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((stderr += String(c)), run.onStderr?.(stderr), cb()) }),
    env: run.env ?? {},
    now: run.now ?? Date.now,
    cwd: run.cwd ?? process.cwd(),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

export async function runInProcess(main: (io: Io) => Promise<number>, run: InProcessRun): Promise<InProcessResult> {
  const m = memoryIo(run);
  const code = await main(m.io);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}
