// The credential.helper value configure writes. A shell snippet, because git runs `!` helpers
// through sh with the action appended (gitcredentials(7)): it execs us only for `get` and
// `erase`. `store` follows every successful fetch and push, and for us it is a no-op, so
// git pays a shell start instead of a Node start for it.
import { ArtifactsError } from '../errors.js';
import { helperMarker } from '../names.js';

/** POSIX single-quoting: safe for any path, including spaces and quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\/.:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function helperCommand(self: readonly string[], args: readonly string[]): string {
  const cmd = [...self, ...args].map(shellQuote).join(' ');
  return `!f() { case "$1" ${helperMarker}${cmd} "$@" ;; esac; }; f`;
}

/**
 * Quotes a value for a gitconfig file: double quotes, with \ and " escaped (git-config(1),
 * "Syntax": https://git-scm.com/docs/git-config#_syntax). Callers check what users give;
 * a line break reaching this point is our bug, and must not reach the file.
 */
export function configValue(value: string): string {
  if (/[\n\r\0]/.test(value)) throw new ArtifactsError('internal', `cannot write ${JSON.stringify(value)} to gitconfig: it holds a line break`);
  return /^[A-Za-z0-9_\/.:@*+=,-]*$/.test(value) && value !== '' ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
