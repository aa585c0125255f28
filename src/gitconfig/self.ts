// How git should start this tool: the single executable by itself, or this Node with the
// bundle's real path (absolute, so it works whatever PATH git runs with, e.g. under nvm).
import { realpathSync } from 'node:fs';

/**
 * True inside our single executable, a Bun-compiled binary (install/sea.mjs). There the entry
 * script lives in Bun's embedded file system, so argv[1] is `/$bunfs/root/<name>` (`B:\~BUN\`
 * on Windows) and does not exist on disk, while execPath is the real binary
 * (https://bun.sh/docs/bundler/executables). Plain `bun dist/x.cjs` has a real argv[1].
 */
export function isSingleExecutable(argv1: string | undefined = process.argv[1], bun: string | undefined = process.versions.bun): boolean {
  return bun !== undefined && argv1 !== undefined && /^(\/\$bunfs\/|[A-Za-z]:[\\/]~BUN[\\/])/.test(argv1);
}

export function selfCommand(argv1: string | undefined = process.argv[1]): string[] {
  if (isSingleExecutable(argv1) || !argv1) return [process.execPath];
  return [process.execPath, realpathSync(argv1)];
}
