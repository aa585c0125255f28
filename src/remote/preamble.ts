// The preamble of a deferred session (deferred-create.ts, issue 23), pure: git's `capabilities`
// and `option …` lines before its first real command, which a stand-in `git remote-https`
// answers while we do not yet know the repo's remote; and, once the real transport is started,
// the same lines replayed to it with its answers dropped, since git has had them already.
// Each answer has a fixed shape (https://git-scm.com/docs/gitremote-helpers, "Commands"):
// `capabilities` a list of lines ending in a blank line, `option` exactly one line.
import { Writable } from 'node:stream';
import { classifyCommand, maxCommandLine } from './classify.js';

export interface PreambleSplit {
  /** Complete preamble lines, as bytes, to forward now. */
  preamble: Buffer;
  lines: string[];
  /** The first other line and every byte from it on; undefined while only preamble came. */
  decided: { line: string; held: Buffer } | undefined;
  /** An incomplete last line, to prepend to the next chunk. */
  pending: Buffer;
}

/** Splits what git sent so far at the first line that is not `capabilities` or `option …`. */
export function splitPreamble(buf: Buffer): PreambleSplit {
  const lines: string[] = [];
  let start = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    const line = buf.toString('utf8', start, nl);
    if (classifyCommand(line) !== 'preamble') {
      return { preamble: buf.subarray(0, start), lines, decided: { line, held: buf.subarray(start) }, pending: Buffer.alloc(0) };
    }
    lines.push(line);
    start = nl + 1;
  }
  const pending = buf.subarray(start);
  // An overlong line decides too: it is nobody's preamble (and classifies as no scope).
  const decided = pending.length > maxCommandLine ? { line: '(overlong line)', held: pending } : undefined;
  return { preamble: buf.subarray(0, start), lines, decided, pending: decided ? Buffer.alloc(0) : pending };
}

/** What to drop of the real transport's output per replayed line: a blank-line-ended block, or one line. */
export type Skip = 'block' | 'line';

export function skipPlan(lines: readonly string[]): Skip[] {
  return lines.map((l) => (l.replace(/\r$/, '') === 'capabilities' ? 'block' : 'line'));
}

/** Drops the answers in plan from a chunk; returns what is left to pass on. Mutates state. */
export function dropAnswers(state: { plan: Skip[]; pending: Buffer }, chunk: Buffer): Buffer {
  let buf = state.pending.length ? Buffer.concat([state.pending, chunk]) : chunk;
  while (state.plan.length) {
    const nl = buf.indexOf(0x0a);
    if (nl === -1) {
      state.pending = buf;
      return Buffer.alloc(0);
    }
    const empty = nl === 0;
    buf = buf.subarray(nl + 1);
    if (state.plan[0] === 'line' || empty) state.plan.shift();
  }
  state.pending = Buffer.alloc(0);
  return buf;
}

/** A stand-in for git's stdout that drops the answers in plan, then passes everything to out (never ending it). */
export function answerSkipper(plan: Skip[], out: Writable): Writable {
  const state = { plan: [...plan], pending: Buffer.alloc(0) };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const rest = dropAnswers(state, chunk);
      if (!rest.length || out.write(rest)) done();
      else out.once('drain', () => done());
    },
  });
}
