// How every commander-parsed tool talks: its output goes to the Io streams (so in-process
// callers keep theirs), its own errors ("error: unknown option '--bogus'") come out as ours do,
// `<tool>: <what is wrong>` plus a `hint:` line pointing at --help, and it throws instead of
// exiting (the caller maps CommanderError to exit 0 for --help/--version, 2 for bad usage).
import type { Command } from 'commander';
import type { Io } from './io.js';

export function humanOutput(cmd: Command, io: Io, tool: string): Command {
  return cmd
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`${tool}: ${s.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`${tool}: hint: see \`${tool} --help\``)
    .exitOverride();
}
