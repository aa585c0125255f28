// The pump between git and the `git remote-http(s)` child. Lines before the first real
// command (`capabilities`, `option …`) go through as soon as they are complete, because git
// waits for the child's answer to each (docs/credential-flow.md, "What the wrapper does").
// The first other line is classified and `decide` runs (synchronously) BEFORE that line is
// forwarded, so the operation is on disk before the child makes any HTTP request. From then
// on bytes pass through untouched: after stateless-connect the stream is binary pkt-lines.
import type { Readable, Writable } from 'node:stream';
import { classifyCommand, maxCommandLine as maxLine } from './classify.js';
import type { Scope } from '../token/settings.js';

export type Decide = (scope: Scope | undefined, command: string) => void;

/** Splits the command stream; pure apart from calling decide once. */
export class CommandGate {
  private pending: Buffer = Buffer.alloc(0);
  private decided = false;

  /** next: runs once, on the first chunk after the deciding one (git has had its answer by then). */
  constructor(
    private readonly decide: Decide,
    private next?: () => void,
  ) {}

  /** Takes a chunk from git; returns the bytes that may be forwarded now. */
  feed(chunk: Buffer): Buffer {
    if (this.decided) {
      const next = this.next;
      this.next = undefined;
      next?.();
      return chunk;
    }
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const line = buf.toString('utf8', start, nl);
      start = nl + 1;
      const c = classifyCommand(line);
      if (c !== 'preamble') return this.settle(c, line, buf);
    }
    if (buf.length - start > maxLine) return this.settle(undefined, '(overlong line)', buf);
    this.pending = buf.subarray(start);
    return buf.subarray(0, start);
  }

  /** At end of input: whatever is held back (an unterminated last line). */
  flush(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }

  private settle(scope: Scope | undefined, command: string, buf: Buffer): Buffer {
    this.decided = true;
    this.pending = Buffer.alloc(0);
    this.decide(scope, command);
    return buf;
  }
}

/**
 * Pumps input (git's commands) into output (the child's stdin) through a gate, with
 * backpressure; ends output when input ends. Returns a function that stops the pump.
 */
export function pumpCommands(input: Readable, output: Writable, gate: CommandGate, onError: (e: unknown) => void): () => void {
  // The child may exit before reading everything (EPIPE); its exit status tells the story.
  output.on('error', () => {});
  const onData = (chunk: Buffer | string): void => {
    let out: Buffer;
    try {
      out = gate.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (e) {
      // decide failed (the operation could not be recorded): forward nothing more.
      stop();
      output.destroy();
      onError(e);
      return;
    }
    if (out.length && !output.write(out)) {
      input.pause();
      output.once('drain', () => input.resume());
    }
  };
  const onEnd = (): void => {
    const rest = gate.flush();
    if (rest.length) output.write(rest);
    output.end();
  };
  const stop = (): void => {
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
  };
  input.on('data', onData);
  input.once('end', onEnd);
  return stop;
}
