// The credential helper git-remote-artifacts gives its `git remote-http(s)` child
// (src/remote/session-helper.ts): a POSIX sh function of builtins only, so a push pays one
// `sh` start for its credential instead of a runtime start (README.md, "Speed"). Pure: it
// builds the snippet; nothing here touches a token.
//
// It is fixed when the child starts, before the wrapper has read its config, so what it runs
// comes from two files the wrapper writes later into its private directory:
// - `helper`: the real helper command for this origin (configure's, or the one we inject),
//   sourced for `erase`, and for any `get` that the answer below does not cover;
// - `answer`: the wrapper's answer from the token cache, printed for `get` only when protocol,
//   host and path are exactly the child's own remote, each given once (a redirect to another
//   host, a repeated or missing field or an absent file all go to the real helper, which
//   decides as it always does: src/credential/request.ts).
// - `confirm`: for `store`, git's confirmation that the token served worked (src/token/served.ts),
//   a line of sh builtins the wrapper writes only when configure's line has a heal dir. `store`
//   never reaches the real helper: a foreign one (credential-store) would keep our token.
import { confirmCommand, shellQuote } from '../gitconfig/helper-command.js';

/** The fields git's credential request carries for the child's remote (useHttpPath is on). */
export interface ExpectedRequest {
  protocol: 'https' | 'http';
  host: string;
  path: string;
}

/** Only these characters reach the sh comparison: no quoting, globbing or encoding questions. */
const plainHost = /^[A-Za-z0-9.-]+(:[0-9]+)?$/;
const plainPath = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/;

/**
 * What git will send for url, or undefined when we cannot be sure: git fills host and path
 * from the URL as written (credential_from_url() in git's credential.c, path percent-decoded),
 * so only a URL already in plain form (lower-case origin, no %-escapes) is answered this way.
 */
export function expectedRequest(url: string, origin: string): ExpectedRequest | undefined {
  if (!url.startsWith(`${origin}/`)) return undefined;
  const protocol = origin.startsWith('https://') ? 'https' : origin.startsWith('http://') ? 'http' : undefined;
  if (!protocol) return undefined;
  const host = origin.slice(protocol.length + 3);
  // git 2.39-2.55 send the path without the URL's trailing slash.
  const path = url.slice(origin.length + 1).replace(/\/$/, '');
  if (!plainHost.test(host) || !plainPath.test(path)) return undefined;
  return { protocol, host, path };
}

/**
 * The helper file's content: how git itself would run the helper value (credential_do() in
 * git's credential.c: `!` is a shell snippet, an absolute path runs as is, anything else is
 * `git credential-<value>`).
 */
export function helperScript(value: string): string {
  const command = value.startsWith('!') ? value.slice(1) : /^(\/|[A-Za-z]:[\\/])/.test(value) ? value : `git credential-${value}`;
  return `${command} "$@"\n`;
}

/**
 * `[ … ]` tests that a file is ours to use: a regular file, no symlink, and (POSIX) owned by
 * us. The directory is a fresh private one, so this is the second fence: if anyone could swap
 * it (a TMPDIR others may rename in), sh would still source or print nothing of theirs.
 */
function ours(file: string, posix: boolean): string {
  return `[ -f ${file} ] && [ ! -L ${file} ]${posix ? ` && [ -O ${file} ]` : ''}`;
}

/** The `confirm` file's content for a heal dir: the same builtins as configure's `store)` branch (helper-command.ts). */
export function confirmScript(healDir: string): string {
  return `${confirmCommand(healDir)}\n`;
}

/** The credential.helper value (with its leading `!`) for the child. */
export function answerHelperCommand(
  files: { answer: string; helper: string; confirm: string },
  expect: ExpectedRequest | undefined,
  posix = process.platform !== 'win32',
): string {
  const helperFile = shellQuote(files.helper);
  const helper = `{ ${ours(helperFile, posix)} && . ${helperFile}; }`;
  const confirmFile = shellQuote(files.confirm);
  const store = `store) { ${ours(confirmFile, posix)} && . ${confirmFile}; } || true ;;`;
  if (!expect) return `!artifacts_helper() { case "$1" in ${store} *) ${helper} ;; esac; }; artifacts_helper`;
  const answer = shellQuote(files.answer);
  // Each field is collected as "|value" per occurrence, so a repeat never compares equal.
  const fields = 'protocol=*) p="$p|${l#*=}" ;; host=*) h="$h|${l#*=}" ;; path=*) q="$q|${l#*=}" ;; url=*) p="$p|url" ;;';
  const read = `p= h= q=; while IFS= read -r l && [ -n "$l" ]; do case "$l" in ${fields} esac; done`;
  const same = (variable: string, value: string): string => `[ "$${variable}" = ${shellQuote(`|${value}`)} ]`;
  const match = `${same('p', expect.protocol)} && ${same('h', expect.host)} && ${same('q', expect.path)} && ${ours(answer, posix)}`;
  const print = `{ while IFS= read -r l; do printf '%s\\n' "$l"; done < ${answer}; } 2>/dev/null && return`;
  // The real helper runs in the pipeline's subshell, so its parent is this sh, not git: it is
  // told git's pid, the one `store` confirms for (src/token/served.ts).
  const replay = `ARTIFACTS_GIT_PID=$PPID; export ARTIFACTS_GIT_PID; printf 'protocol=%s\\nhost=%s\\npath=%s\\n\\n' "\${p#|}" "\${h#|}" "\${q#|}" | ${helper}`;
  return `!artifacts_helper() { case "$1" in get) ${read}; if ${match}; then ${print}; fi; ${replay} ;; ${store} *) ${helper} ;; esac; }; artifacts_helper`;
}
