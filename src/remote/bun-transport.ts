// The transport of child.ts and the relay of relay.ts on Bun's own process and stdin APIs,
// for the single executable (install/sea.mjs). Under Bun, node:child_process with a piped stdin and
// process.stdin each start Node's stream machinery, which cost the compiled binary ~4-5 ms on
// every push (a bare relay: 4.8 ms against 1.0 ms with Bun.spawn and Bun.stdin; README.md,
// "Speed"). Same contract: the child inherits our stdout and stderr (no byte of its output
// passes through us), only its stdin is fed, through the same CommandGate, with backpressure.
import { exitCodeOf, startFailed } from '../child-process.js';
import { transportArgv, transportHint, transportLabel, type Transport, type TransportOptions } from './child.js';
import type { CommandGate } from './relay.js';

interface FileSink {
  write(chunk: Uint8Array): number;
  flush(): number | Promise<number>;
  end(): unknown;
}

interface Subprocess {
  stdin: FileSink;
  exited: Promise<number>;
  exitCode: number | null;
  signalCode: string | null;
  kill(signal?: string): void;
}

interface BunRuntime {
  spawn(options: { cmd: string[]; env: NodeJS.ProcessEnv; cwd: string; stdin: 'pipe'; stdout: 'inherit'; stderr: 'inherit' }): Subprocess;
  stdin: { stream(): ReadableStream<Uint8Array> };
}

/** Bun's API when we run on Bun, else undefined. */
export function bunRuntime(): BunRuntime | undefined {
  return (globalThis as { Bun?: BunRuntime }).Bun;
}

/** Starts git's transport with Bun.spawn; its relay pumps Bun.stdin into it. */
export function bunTransport(bun: BunRuntime, o: TransportOptions): Transport {
  let proc: Subprocess;
  try {
    proc = bun.spawn({ cmd: transportArgv(o), env: o.env, cwd: o.cwd, stdin: 'pipe', stdout: 'inherit', stderr: 'inherit' });
  } catch (e) {
    throw startFailed(transportLabel(o.scheme), 'git', e as Error, transportHint);
  }
  const exited = proc.exited.then(() => exitCodeOf(proc.exitCode, proc.signalCode as NodeJS.Signals | null));
  return { exited, kill: (signal) => proc.kill(signal), relay: (gate, onError) => pump(bun, proc, gate, onError) };
}

function pump(bun: BunRuntime, proc: Subprocess, gate: CommandGate, onError: (e: unknown) => void): () => void {
  const reader = bun.stdin.stream().getReader();
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // A pending read would keep the process alive after the child is gone.
    reader.cancel().catch(() => undefined);
  };
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (stopped) return;
        const out = done ? gate.flush() : gate.feed(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        if (out.length) {
          proc.stdin.write(out);
          await proc.stdin.flush();
        }
        if (done) break;
      }
      proc.stdin.end();
    } catch (e) {
      // EPIPE: the child stopped reading, and its exit code tells the story; anything from the
      // gate (the operation could not be recorded) ends the session like in relay.ts.
      if (stopped || (e as NodeJS.ErrnoException).code === 'EPIPE') return;
      stop();
      onError(e);
    }
  })();
  return stop;
}
