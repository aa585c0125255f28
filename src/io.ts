// The process edge, passed into every main(): only cmd/ builds one from `process`, so tests
// can run mains in-process with their own streams, environment and clock.
import { readSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ArtifactsError } from './errors.js';

export interface Io {
  argv: string[];
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch; injectable for expiry tests. */
  now: () => number;
  cwd: string;
  /**
   * The descriptors behind stdin/stdout when they are the process's own. The credential hot
   * path reads and writes these synchronously instead of touching the streams: creating
   * process.stdin or process.stdout for a pipe costs 2-4 ms each (it loads net and streams),
   * which is most of what a cached `get` costs above bare Node (README.md, "Speed").
   */
  fds?: { stdin: number; stdout: number };
}

/** The real process. The streams are getters so nothing creates them until a caller needs them. */
export function nodeIo(): Io {
  return {
    argv: process.argv.slice(2),
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return ignoreEpipe(process.stdout);
    },
    get stderr() {
      return ignoreEpipe(process.stderr);
    },
    env: process.env,
    now: Date.now,
    cwd: process.cwd(),
    fds: { stdin: 0, stdout: 1 },
  };
}

const guarded = new WeakSet<Writable>();

/**
 * A reader that went away (git died mid-request, `| head`) is not our error: without a
 * listener, EPIPE on a stream is an uncaught exception with a stack trace.
 */
function ignoreEpipe<T extends Writable>(stream: T): T {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  return stream;
}

/** Reads a whole stream as bytes (the credential protocol is parsed from bytes, not lines). */
export async function readAll(stream: Readable, limit = 1 << 20, chunks: Buffer[] = []): Promise<Buffer> {
  let size = chunks.reduce((n, c) => n + c.length, 0);
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** All of stdin: read synchronously from the descriptor when there is one, else the stream. */
export async function readInput(io: Io, limit = 1 << 20): Promise<Buffer> {
  if (!io.fds) return readAll(io.stdin, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(16 * 1024);
    let n: number;
    try {
      n = readSync(io.fds.stdin, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin (inherited O_NONBLOCK) has no data yet: let the stream wait for it.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return readAll(io.stdin, limit, chunks);
      throw e;
    }
    if (n === 0) return Buffer.concat(chunks, size);
    size += n;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf.subarray(0, n));
  }
}

/** Writes text to stdout: synchronously to the descriptor when there is one, else the stream. */
export function writeOutput(io: Io, text: string): void {
  if (!io.fds) {
    io.stdout.write(text);
    return;
  }
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(io.fds.stdout, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // git went away before reading the answer (it was killed or timed out): nobody to tell.
      if (code === 'EPIPE') return;
      // A non-blocking stdout that is full: hand the rest to the stream, which waits.
      if (code === 'EAGAIN') {
        io.stdout.write(buf);
        return;
      }
      throw e;
    }
  }
}

function tooLarge(limit: number): ArtifactsError {
  return new ArtifactsError('input.invalid', `input larger than ${limit} bytes`, {
    hint: 'git sends a few hundred bytes; check what is piped into this command',
  });
}
