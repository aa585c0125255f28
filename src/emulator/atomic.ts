// Crash-safe file replacement: write a 0600 temp file beside the target, fsync, rename. A
// failure (a full disk, a data dir made read-only) leaves no temp file behind and answers the
// REST caller with a 500 that names the file and the errno, not an internal error with a stack.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { codes, RestError } from './envelope.js';

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new RestError(500, codes.internal, `the emulator cannot save ${file} (${code})`);
  }
}
