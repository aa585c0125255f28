// A one-line notice on stderr when a command is still working after about a second (issue 23):
// against a slow API, `revoke --all` and `logout` sat silent for seconds. stderr only, so a
// --json stdout stays one document; the timer is unref'd (it never keeps the process alive)
// and cleared as soon as the work ends, so a fast command prints nothing.
import type { Writable } from 'node:stream';
import { credentialTool } from '../names.js';
import { say } from '../report.js';

export const slowAfterMs = 1_000;

export async function whileSlow<T>(stderr: Writable, notice: string, work: () => Promise<T>, afterMs = slowAfterMs): Promise<T> {
  const timer = setTimeout(() => say(credentialTool, stderr, notice), afterMs);
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}
