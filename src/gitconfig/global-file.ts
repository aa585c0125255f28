// Which file `git config --global` writes, and writing it the way git does: under
// `<file>.lock` (created exclusively, so we never race a concurrent `git config`), renamed
// into place, keeping the file's mode, following a symlinked ~/.gitconfig to its target.
import { constants, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactsError } from '../errors.js';

/** git's rule (config.c): GIT_CONFIG_GLOBAL; else ~/.gitconfig, unless only the XDG file exists. */
export function globalConfigPath(env: NodeJS.ProcessEnv, exists: (p: string) => boolean = existsSync): string {
  if (env.GIT_CONFIG_GLOBAL) return env.GIT_CONFIG_GLOBAL;
  const home = env.HOME || os.homedir();
  const dotfile = path.join(home, '.gitconfig');
  const xdgBase = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const xdg = path.join(xdgBase, 'git', 'config');
  return !exists(dotfile) && exists(xdg) ? xdg : dotfile;
}

export async function readConfig(file: string): Promise<{ text: string; exists: boolean }> {
  try {
    return { text: await fs.readFile(file, 'utf8'), exists: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', exists: false };
    throw e;
  }
}

export async function writeConfig(file: string, text: string): Promise<void> {
  const target = await fs.realpath(file).catch(() => file);
  const lock = `${target}.lock`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ArtifactsError('git.failed', `${lock} exists: another git process is changing your config`, {
        hint: `try again; if no git command is running, remove ${lock}`,
      });
    }
    throw e;
  }
  try {
    const mode = await fs.stat(target).then((s) => s.mode & 0o777, () => 0o644);
    await handle.writeFile(text);
    await handle.chmod(mode);
    await handle.close();
    await fs.rename(lock, target);
  } catch (e) {
    await handle.close().catch(() => {});
    await fs.rm(lock, { force: true });
    throw e;
  }
}
