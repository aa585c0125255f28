// The one fixture of the e2e suites: an emulator, optionally with a git home configured for it on
// one git, started in the calling describe's (or file's) beforeAll and always stopped in its
// afterAll, also when the set-up failed half way (issue 21: a suite whose set-up failed left an
// emulator running). A test keeps its own `let emu` / `let home` and receives them here, so its
// body reads as before:
//
//   let emu: Emulator; let home: GitHome;
//   withConfiguredHome(git, (w) => ({ emu, home } = w));
import { afterAll, beforeAll } from 'vitest';
import { configuredHome } from './artifacts-home.js';
import { startEmulator, type Emulator, type StartOptions } from './emulator.js';
import type { GitHome } from './git-home.js';
import type { GitUnderTest } from './gits.js';

export interface ConfiguredWorld {
  emu: Emulator;
  home: GitHome;
}

/** A running emulator for the enclosing suite. */
export function withEmulator(receive: (emu: Emulator) => void, options: StartOptions = {}): void {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options);
    receive(emu);
  });
  afterAll(async () => {
    await emu?.stop();
  });
}

/** A running emulator and a home that `configure` set up for it, on `git`. */
export function withConfiguredHome(
  git: GitUnderTest,
  receive: (world: ConfiguredWorld) => void,
  options: { emulator?: StartOptions; env?: NodeJS.ProcessEnv } = {},
): void {
  let emu: Emulator | undefined;
  let home: GitHome | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options.emulator);
    home = await configuredHome(git, emu, options.env);
    receive({ emu, home });
  });
  afterAll(async () => {
    await emu?.stop();
    home?.cleanup();
  });
}
