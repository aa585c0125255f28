// What shell completion offers, read from the commander definitions themselves (issue 23):
// every visible command, its options and their choices, through commander's own Help (the
// same lists `--help` prints), so a new command or option completes without a second list.
import type { Command, Option } from 'commander';

export interface OptionSpec {
  /** Long first, then short: `--scope`, `-h`. */
  names: string[];
  /** Whether the option takes a value (so the next word is that value, not a command or flag). */
  value: boolean;
  /** Its allowed values, when commander knows them (`.choices()`). */
  choices: string[];
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Values for its positional argument, when they are a fixed list (`.choices()`; `help` takes a command). */
  argChoices: string[];
}

export interface CompletionSpec {
  tool: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

/** A description as one short line: its first clause, at most 70 characters. */
export function shortDescription(text: string): string {
  const first = text.split(/[:;\n]/)[0]!.trim();
  return first.length > 70 ? `${first.slice(0, 69)}…` : first;
}

function optionSpec(o: Option): OptionSpec {
  return {
    names: [o.long, o.short].filter((n): n is string => typeof n === 'string'),
    value: o.required || o.optional,
    choices: o.argChoices ?? [],
    description: shortDescription(o.description),
  };
}

export function completionSpec(program: Command): CompletionSpec {
  const help = program.createHelp();
  const commands = help.visibleCommands(program);
  const names = commands.map((c) => c.name()).filter((n) => n !== 'help');
  return {
    tool: program.name(),
    options: help.visibleOptions(program).map(optionSpec),
    commands: commands.map((c) => ({
      name: c.name(),
      description: shortDescription(c.summary() || c.description()),
      options: help.visibleOptions(c).map(optionSpec),
      argChoices: c.name() === 'help' ? names : c.registeredArguments.flatMap((a) => a.argChoices ?? []),
    })),
  };
}
