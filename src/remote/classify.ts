// Which scope a remote-helper session needs, from the first command git sends that is not
// `capabilities` or `option …` (https://git-scm.com/docs/gitremote-helpers;
// docs/git-and-artifacts-behaviour.md, "Remote-helper commands").
// Each helper process serves a single direction, so that one line decides.
import type { Scope } from '../token/settings.js';

/** A line git sends before its first real command is never longer than this; a longer one decides as no scope. */
export const maxCommandLine = 64 * 1024;

/** 'preamble': forward and keep looking; a scope: decided; undefined: unknown command. */
export type Classification = 'preamble' | Scope | undefined;

const writeCommands = new Set(['list for-push', 'connect git-receive-pack']);
const writeVerbs = new Set(['push', 'export']);
const readCommands = new Set([
  'list',
  'stateless-connect git-upload-pack',
  'stateless-connect git-upload-archive',
  'connect git-upload-pack',
  'connect git-upload-archive',
]);
const readVerbs = new Set(['fetch', 'import', 'get']);

/** line: one command without its trailing LF (a trailing CR is tolerated). */
export function classifyCommand(line: string): Classification {
  const command = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (command === 'capabilities' || command.startsWith('option ')) return 'preamble';
  if (writeCommands.has(command)) return 'write';
  if (readCommands.has(command)) return 'read';
  const verb = command.split(' ', 1)[0];
  if (writeVerbs.has(verb!)) return 'write';
  if (readVerbs.has(verb!)) return 'read';
  return undefined;
}
