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

/**
 * A Windows path as the helper line names it: forward slashes (`C:/Users/a b/x.exe`). Git for
 * Windows runs `!` helpers through its MSYS sh, which takes drive-letter paths with either
 * slash, and so does CreateProcess; forward slashes need no escaping through the gitconfig
 * quoting (\\ in "…") and sh's, so what configure writes is what runs. Elsewhere unchanged.
 */
export function helperPath(p: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? p.replace(/\\/g, '/') : p;
}

export function selfCommand(argv1: string | undefined = process.argv[1], platform: NodeJS.Platform = process.platform): string[] {
  if (isSingleExecutable(argv1) || !argv1) return [helperPath(process.execPath, platform)];
  return [helperPath(process.execPath, platform), helperPath(realpathSync(argv1), platform)];
}
