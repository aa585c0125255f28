// `completion bash|zsh|fish`: the completion script for one shell, on stdout, generated from
// this program's own command definitions (completion-spec.ts), so it always matches `--help`.
import type { Command } from 'commander';
import type { Io } from '../../io.js';
import { completionSpec } from '../completion-spec.js';
import { completionScript, type Shell } from '../completion-scripts.js';

export function completion(shell: Shell, program: Command, io: Pick<Io, 'stdout'>): number {
  io.stdout.write(completionScript(shell, completionSpec(program)));
  return 0;
}
