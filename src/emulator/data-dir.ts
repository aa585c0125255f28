// The emulator's --data directory, made one component at a time so every way it can fail is a
// clear, immediate error. Node's `mkdir(p, { recursive: true })` cannot be used here: when a
// parent exists but answers ENOENT for a new child (anything under /proc), it steps back to
// the parent (EEXIST), forward again (ENOENT), and so on forever; measured on Node 20 the
// promise never settles while a thread-pool thread spins at 100 % CPU (and the sync form
// blocks the event loop itself).
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactsError } from '../errors.js';

/** Makes the absolute `dir` and its missing parents (0700 each); resolves once it is a directory. */
export async function makeDataDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    const kind = await kindOf(at, dir);
    if (kind === 'dir') break;
    if (kind === 'other') {
      throw new ArtifactsError('usage', `--data ${dir}: ${at} exists and is not a directory`, {
        hint: at === dir ? 'pass a directory, or a path that does not exist yet' : `pass a path that is not under the file ${at}`,
      });
    }
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d, { mode: 0o700 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await kindOf(d, dir)) === 'dir') continue; // made meanwhile
      throw new ArtifactsError('usage', `--data ${dir}: cannot create ${d} (${code ?? (e as Error).message})`, {
        hint: `pass a directory you may create; ${path.dirname(d)} does not accept new directories`,
        cause: e,
      });
    }
  }
}

async function kindOf(p: string, dir: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: some parent is a file; walking up finds it and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new ArtifactsError('usage', `--data ${dir}: cannot look at ${p} (${code ?? (e as Error).message})`, {
      hint: 'pass a directory you may read and write',
      cause: e,
    });
  }
}
