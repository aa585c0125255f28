// How every commander-parsed tool talks: its output goes to the Io streams (so in-process
// callers keep theirs), its own errors ("error: unknown option '--bogus'") come out as ours do,
// `<tool>: <what is wrong>` plus a `hint:` line pointing at --help, and it throws instead of
// exiting (the caller maps CommanderError to exit 0 for --help/--version, 2 for bad usage).
import type { Command } from 'commander';
import type { Io } from './io.js';
import { redact } from './redact.js';

/**
 * commander's error text, safe to print: the value of an unknown `--option=<value>` is never
 * echoed (`login --with-token=<token>` would print the token: issue 21), nor a value it says is
 * invalid when it is long enough to be a token, and what is left goes through redact() like every message of ours.
 */
export function commanderErrorText(text: string): string {
  return redact(
    text
      .replace(/^error: /, '')
      .replace(/(unknown option '[^'=\s]*=)[^']*'/g, "$1…' (its value is not shown)")
      // A short value (a port, a scope) helps to see; one as long as a token is not shown.
      .replace(/(option '[^']*' argument )'([^']*)'( is invalid)/g, (_m, a: string, v: string, b: string) => `${a}${v.length <= 12 ? `'${v}'` : '(not shown)'}${b}`),
  );
}

export function humanOutput(cmd: Command, io: Io, tool: string): Command {
  return cmd
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`${tool}: ${commanderErrorText(s)}`),
    })
    .showHelpAfterError(`${tool}: hint: see \`${tool} --help\``)
    .exitOverride();
}
