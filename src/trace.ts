// ARTIFACTS_TRACE: a timestamped trace of the helper's decisions. `1`/`true`/`2` write to
// stderr, an absolute path appends to that file. Every line passes through redact(), and
// callers only ever pass token ids and scopes, never plaintext.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { printable, redact } from './redact.js';

export type Trace = (event: string, details?: Record<string, unknown>) => void;

export const noTrace: Trace = () => {};

export function makeTrace(tool: string, env: NodeJS.ProcessEnv, write: (line: string) => void): Trace {
  const setting = env.ARTIFACTS_TRACE;
  if (!setting || setting === '0' || setting === 'false') return noTrace;
  const toFile = path.isAbsolute(setting);
  return (event, details) => {
    const parts = [new Date().toISOString(), `${tool}[${process.pid}]`, event];
    if (details) {
      for (const [k, v] of Object.entries(details)) if (v !== undefined) parts.push(`${k}=${format(v)}`);
    }
    const line = `${printable(redact(parts.join(' ')))}\n`;
    try {
      if (toFile) appendFileSync(setting, line, { mode: 0o600 });
      else write(line);
    } catch {
      // Tracing must never break git's operation; an unwritable trace file is ignored.
    }
  };
}

function format(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"]/.test(text) ? JSON.stringify(text) : text;
}
