// ARTIFACTS_TRACE: a timestamped trace of the helper's decisions. `1`/`true`/`2` write to
// stderr, an absolute path appends to that file, anything else is refused with a notice. Every line passes through redact(), and
// callers only ever pass token ids and scopes, never plaintext.
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { printable, redact } from './redact.js';

export type Trace = (event: string, details?: Record<string, unknown>) => void;

export const noTrace: Trace = () => {};

export function makeTrace(tool: string, env: NodeJS.ProcessEnv, write: (line: string) => void): Trace {
  const setting = env.ARTIFACTS_TRACE;
  if (!setting || setting === '0' || setting === 'false') return noTrace;
  // As git's GIT_TRACE does (trace.c): 1, 2 or true trace to stderr; anything else but an
  // absolute path is refused, said once on stderr, and tracing is off (a relative path would
  // land in whatever directory git runs us in: issue 21).
  if (/^(1|2|true)$/i.test(setting)) return traceTo(tool, write);
  if (!path.isAbsolute(setting)) {
    let told = false;
    return () => {
      if (!told) write(`${tool}: ARTIFACTS_TRACE=${printable(setting.slice(0, 80))} ignored: give 1 (trace to stderr) or an absolute path to append to\n`);
      told = true;
    };
  }
  // A trace file is opened once, lazily, as safely as a token file: no symlink followed, no
  // FIFO waited on, and only a private regular file of ours is written (a path in a shared
  // directory may be another user's trap). Otherwise file tracing is off, said once on stderr.
  let fd: number | undefined;
  return traceTo(tool, (line) => {
    if (fd === undefined) fd = openTraceFile(setting, (why) => write(`${tool}: ARTIFACTS_TRACE=${setting} not written: ${why}\n`));
    if (fd !== -1) writeSync(fd, line);
  });
}

function traceTo(tool: string, out: (line: string) => void): Trace {
  return (event, details) => {
    // The wall clock, not Io.now: a person reads a trace beside other logs (and the hot path would
    // have to pass a clock in for nothing else).
    const parts = [new Date().toISOString(), `${tool}[${process.pid}]`, event];
    if (details) {
      for (const [k, v] of Object.entries(details)) if (v !== undefined) parts.push(`${k}=${format(v)}`);
    }
    const line = `${printable(redact(parts.join(' ')))}\n`;
    try {
      out(line);
    } catch {
      // Tracing must never break git's operation; an unwritable trace file is ignored.
    }
  };
}

/** An fd for appending to a private regular file of ours, or -1 (refused; told via warn). */
function openTraceFile(file: string, warn: (why: string) => void): number {
  const posix = process.platform !== 'win32';
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (posix ? constants.O_NOFOLLOW | constants.O_NONBLOCK : 0), 0o600);
  } catch (e) {
    warn(`cannot open it (${(e as NodeJS.ErrnoException).code ?? 'error'}; a symlink is refused)`);
    return -1;
  }
  const st = fstatSync(fd);
  if (!st.isFile() || (posix && (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0))) {
    closeSync(fd);
    warn('it must be a regular file of yours that only you can read (mode 0600)');
    return -1;
  }
  return fd;
}

function format(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Quoted whenever anything but a plain word: a value from a URL stays one inert token.
  return /^[\w.:/@=,+-]*$/.test(text) && text !== '' ? text : JSON.stringify(text);
}
