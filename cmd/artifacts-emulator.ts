import { emulatorMain } from '../src/emulator/main.js';
import { nodeIo } from '../src/io.js';

// SIGINT/SIGTERM end the emulator cleanly; a CJS bundle has no top-level await.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
void emulatorMain(nodeIo(), stop.signal).then((code) => {
  process.exitCode = code;
});
