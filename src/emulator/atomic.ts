// Crash-safe file replacement: write a 0600 temp file beside the target, fsync, rename.
import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
