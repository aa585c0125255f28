// The credential.helper value configure writes. A shell snippet, because git runs `!` helpers
// through sh with the action appended (gitcredentials(7)): it execs us only for `get` and
// `erase`. `store` follows every successful fetch and push, so it never starts a runtime: with a
// heal dir (--heal-dir, src/token/served.ts) it leaves `c-<pid of git>` there with a builtin, the
// confirmation that the token we served worked; without one it does nothing.
import { ArtifactsError } from '../errors.js';
import { helperMarker } from '../names.js';

/** POSIX single-quoting: safe for any path, including spaces and quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\/.:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const prefix = `!f() { case "$1" ${helperMarker}`;
const suffix = ' "$@" ;; esac; }; f';
const healFlag = '--heal-dir';

/**
 * git's confirmation, in sh builtins: `c-<pid of the git that ran sh>` in the heal dir. `true`,
 * not `:`, so a missing dir is a quiet failure rather than an exit of sh (a special builtin's).
 */
export function confirmCommand(healDir: string): string {
  return `{ true > ${shellQuote(`${healDir}/c-`)}"$PPID"; } 2>/dev/null`;
}

function storeBranch(healDir: string): string {
  return ` "$@" ;; store) ${confirmCommand(healDir)} ;; esac; }; f`;
}

/** The value for argv; a `--heal-dir <dir>` among args adds the confirming `store)` branch. */
export function helperCommand(self: readonly string[], args: readonly string[]): string {
  const cmd = [...self, ...args].map(shellQuote).join(' ');
  const at = args.lastIndexOf(healFlag);
  return `${prefix}${cmd}${at === -1 ? suffix : storeBranch(args[at + 1]!)}`;
}

/**
 * The argv in a helperCommand() value, or undefined for any other text (a hand-edited or
 * foreign helper). Strict: only what shellQuote writes (safe words, '…' runs and \' between
 * them, one space apart), so whatever parses runs exactly this argv under sh.
 */
export function parseHelperCommand(value: string): string[] | undefined {
  if (!value.startsWith(prefix)) return undefined;
  if (value.endsWith(suffix)) {
    const argv = parseWords(value.slice(prefix.length, value.length - suffix.length));
    return argv?.includes(healFlag) ? undefined : argv;
  }
  // With a store branch: exactly the one helperCommand() writes for the argv's own --heal-dir.
  const at = value.indexOf(' "$@" ;; store) ');
  const argv = at === -1 ? undefined : parseWords(value.slice(prefix.length, at));
  const dir = argv && argv.lastIndexOf(healFlag) !== -1 ? argv[argv.lastIndexOf(healFlag) + 1] : undefined;
  return dir !== undefined && value === `${prefix}${value.slice(prefix.length, at)}${storeBranch(dir)}` ? argv : undefined;
}

function parseWords(cmd: string): string[] | undefined {
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
