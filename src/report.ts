// The one place errors become text. Messages go to stderr prefixed with the tool's name;
// stdout is left to protocol lines. Expected errors print message + hint; anything else is a
// bug and keeps its stack so it can be reported. Everything passes through redact() (secrets
// by value and by shape) and printable() (no control characters: a server's words may be in
// a message, and must not forge lines of ours or drive the terminal).
import type { Writable } from 'node:stream';
import { isArtifactsError } from './errors.js';
import { printable, redact } from './redact.js';

const line = (text: string): string => printable(redact(text));

export function report(tool: string, error: unknown, stderr: Writable): number {
  if (isArtifactsError(error)) {
    stderr.write(`${tool}: ${line(error.message)}\n`);
    if (error.hint) stderr.write(`${tool}: hint: ${line(error.hint)}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`${tool}: unexpected error (please report it): ${printable(redact(text), true)}\n`);
  return 1;
}

/** A plain message on stderr, with the same prefix and redaction as errors. */
export function say(tool: string, stderr: Writable, message: string): void {
  stderr.write(`${tool}: ${line(message)}\n`);
}
