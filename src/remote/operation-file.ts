// The private file that tells our credential helper which scope this session needs
// (src/credential/operation.ts reads it): `read` or `write`, in a 0600 file inside a 0700
// directory of our own, removed when we exit. Its path goes in the child's environment; the
// file holds one word, never a token.
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Scope } from '../token/settings.js';

const noFollow = process.platform === 'win32' ? 0 : constants.O_NOFOLLOW;

export class OperationFile {
  readonly dir: string;
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv) {
    const base = env.TMPDIR && path.isAbsolute(env.TMPDIR) ? env.TMPDIR : os.tmpdir();
    this.dir = mkdtempSync(path.join(base, 'artifacts-remote-')); // mkdtemp creates it 0700
    this.file = path.join(this.dir, 'operation');
    closeSync(openSync(this.file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600));
  }

  /** Records the scope; synchronous, so it is on disk before the next command is forwarded. */
  record(scope: Scope): void {
    const fd = openSync(this.file, constants.O_WRONLY | constants.O_TRUNC | noFollow);
    try {
      writeSync(fd, `${scope}\n`);
    } finally {
      closeSync(fd);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
