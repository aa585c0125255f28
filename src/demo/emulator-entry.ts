// The artifacts-emulator executable's one choice: `demo` and `help demo` (as git's own
// subcommand programs take `help`) run the demo, everything else the emulator. Here in demo/,
// above both, so src/emulator never imports the demo that drives it.
import type { Io } from '../io.js';
import { emulatorMain } from '../emulator/main.js';

/** The demo's argv when the emulator's argv asks for the demo, else undefined. */
export function demoArgv(argv: readonly string[]): string[] | undefined {
  if (argv[0] === 'demo') return argv.slice(1);
  if (argv[0] === 'help' && argv[1] === 'demo') return ['--help'];
  return undefined;
}

export async function emulatorEntry(io: Io, signal?: AbortSignal, onForcedExit?: (cleanup: () => void) => void): Promise<number> {
  const argv = demoArgv(io.argv);
  if (argv) return (await import('./demo.js')).demoMain({ ...io, argv }, signal);
  return emulatorMain(io, signal, onForcedExit);
}
