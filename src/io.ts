// The process edge, passed into every main(): only cmd/ builds one from `process`, so tests
// can run mains in-process with their own streams, environment and clock.
import type { Readable, Writable } from 'node:stream';

export interface Io {
  argv: string[];
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch; injectable for expiry tests. */
  now: () => number;
  cwd: string;
}

export function nodeIo(): Io {
  return {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: Date.now,
    cwd: process.cwd(),
  };
}

/** Reads a whole stream as bytes (the credential protocol is parsed from bytes, not lines). */
export async function readAll(stream: Readable, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new Error(`input larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
