import { emulatorEntry } from '../src/demo/emulator-entry.js';
import { nodeIo } from '../src/io.js';

// SIGINT/SIGTERM end the emulator cleanly; a CJS bundle has no top-level await. A stop that
// does not finish (a request or a filesystem call that never returns) must not keep it alive:
// a second signal, or 5 s after the first, ends the process anyway.
const stop = new AbortController();
const codes = { SIGINT: 130, SIGTERM: 143 } as const;
const cleanups: Array<() => void> = [];
const forcedExit = (code: number): never => {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Exiting anyway; a temp dir left behind is the worst outcome.
    }
  }
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) forcedExit(codes[signal]);
    stop.abort();
    setTimeout(() => forcedExit(codes[signal]), 5_000).unref();
  });
}
void emulatorEntry(nodeIo(), stop.signal, (cleanup) => cleanups.push(cleanup)).then((code) => {
  process.exitCode = code;
});
