// The one place errors become text. Messages go to stderr prefixed with the tool's name;
// stdout is left to protocol lines. Expected errors print message + hint; anything else is a
// bug and keeps its stack so it can be reported.
import type { Writable } from 'node:stream';
import { isArtifactsError } from './errors.js';
import { redact } from './redact.js';

export function report(tool: string, error: unknown, stderr: Writable): number {
  if (isArtifactsError(error)) {
    stderr.write(`${tool}: ${redact(error.message)}\n`);
    if (error.hint) stderr.write(`${tool}: hint: ${redact(error.hint)}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`${tool}: unexpected error (please report it): ${redact(text)}\n`);
  return 1;
}

/** A plain message on stderr, with the same prefix and redaction as errors. */
export function say(tool: string, stderr: Writable, message: string): void {
  stderr.write(`${tool}: ${redact(message)}\n`);
}
