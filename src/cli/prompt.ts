// Reading a secret from a person: a hidden prompt on a terminal (nothing echoed, as gh's
// `auth login` and ssh do), or the whole of stdin for `--with-token`. Never argv: a token on a
// command line is visible to every user in `ps` and kept in shell history.
import type { Readable } from 'node:stream';
import { ArtifactsError } from '../errors.js';
import { readAll, type Io } from '../io.js';

type TtyIn = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export function isTerminal(io: Io): boolean {
  return (io.stdin as TtyIn).isTTY === true && typeof (io.stdin as TtyIn).setRawMode === 'function';
}

/** The token piped in with --with-token: one line, surrounding whitespace dropped. */
export async function readTokenFromStdin(io: Io): Promise<string> {
  const text = (await readAll(io.stdin, 64 * 1024)).toString('utf8');
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length !== 1) {
    throw new ArtifactsError('input.invalid', lines.length === 0 ? 'no API token on stdin' : 'more than one line on stdin; expected just the API token', {
      hint: 'pipe the token in, e.g. `git-credential-artifacts login --with-token < token.txt`',
    });
  }
  return lines[0]!;
}

// The hint when Ctrl-D cancels the prompt.
const pasteAgain = 'run `git-credential-artifacts login` again and paste the token, then Enter';

/** Reads one line from a terminal without echoing it. Ctrl-C or Ctrl-D cancels. */
export function readHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin as TtyIn;
  // Raw mode before the prompt shows: what is typed (or Ctrl-C) as soon as it appears is ours, not echoed by the terminal.
  stdin.setRawMode!(true);
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    // Inside an escape sequence (arrow keys, bracketed-paste markers ESC[200~ … ESC[201~):
    // none of it is part of the token.
    let escape = false;
    const done = (f: () => void): void => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
      f();
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (escape) {
          escape = !/[A-Za-z~]/.test(ch);
          continue;
        }
        if (ch === '\u001b') {
          escape = true;
          continue;
        }
        if (ch === '\r' || ch === '\n') return done(() => resolve(value.trim()));
        // Ctrl-C in raw mode arrives as a character, not SIGINT: exit as a shell reports Ctrl-C (130).
        if (ch === '\u0003') return done(() => reject(new ArtifactsError('interrupted', 'interrupted (Ctrl-C); nothing was stored')));
        if (ch === '\u0004') return done(() => reject(new ArtifactsError('usage', 'cancelled (Ctrl-D); nothing was stored', { hint: pasteAgain })));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
