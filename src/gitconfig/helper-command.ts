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

const prefix = `!f() { case "$1" ${helperMarker}`;
const suffix = ' "$@" ;; esac; }; f';

export function helperCommand(self: readonly string[], args: readonly string[]): string {
  const cmd = [...self, ...args].map(shellQuote).join(' ');
  return `${prefix}${cmd}${suffix}`;
}

/**
 * The argv in a helperCommand() value, or undefined for any other text (a hand-edited or
 * foreign helper). Strict: only what shellQuote writes (safe words, '…' runs and \' between
 * them, one space apart), so whatever parses runs exactly this argv under sh.
 */
export function parseHelperCommand(value: string): string[] | undefined {
  if (!value.startsWith(prefix) || !value.endsWith(suffix)) return undefined;
  const cmd = value.slice(prefix.length, value.length - suffix.length);
  const word = /(?:[A-Za-z0-9_\/.:@%+=,-]+|'[^']*'|\\')+/y;
  const argv: string[] = [];
  for (let i = 0; i < cmd.length; ) {
    if (argv.length && cmd[i++] !== ' ') return undefined;
    word.lastIndex = i;
    const m = word.exec(cmd);
    if (!m) return undefined;
    argv.push(m[0].replace(/'([^']*)'|\\'/g, (all, quoted: string | undefined) => (all === "\\'" ? "'" : quoted!)));
    i = word.lastIndex;
  }
  return argv.length ? argv : undefined;
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
