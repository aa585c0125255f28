// Which file `git config --global` writes, and writing it the way git does: under
// `<file>.lock` (created exclusively, so we never race a concurrent `git config`), renamed
// into place, keeping the file's mode, following a symlinked ~/.gitconfig to its target
// (configTarget) the way git does.
import { constants, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeErrno } from '../errno.js';
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

/** git's MAXDEPTH in lockfile.c: how many symlinks it follows to the file it writes. */
export const maxSymlinkDepth = 5;

/**
 * The file `git config --global` really writes when file is a symlink: git's lockfile.c
 * (resolve_symlink, https://github.com/git/git/blob/master/lockfile.c) reads the link, even
 * a dangling one, and locks and renames onto its target; a relative target replaces the
 * link's last path component. Following the same rule keeps a dotfiles symlink a symlink
 * instead of replacing it with a regular file. Where git would give up after 5 links and
 * replace the 6th link with a file, we stop and say so.
 */
export async function configTarget(file: string): Promise<string> {
  let at = file;
  for (let depth = 0; ; depth++) {
    let link: string;
    try {
      link = await fs.readlink(at);
    } catch {
      return at; // not a symlink (or not there): this is the file
    }
    if (depth === maxSymlinkDepth) {
      throw new ArtifactsError('config.invalid', `${file} is a chain of more than ${maxSymlinkDepth} symbolic links (or a loop), ending at ${at}`, {
        hint: `point ${file} straight at the real config file (git follows at most ${maxSymlinkDepth} links when it writes it)`,
      });
    }
    // As git does: no normalising of `..`, which the kernel resolves against the real directory.
    at = path.isAbsolute(link) ? link : at.slice(0, Math.max(at.lastIndexOf('/'), at.lastIndexOf(path.sep)) + 1) + link;
  }
}

export async function readConfig(file: string): Promise<{ text: string; exists: boolean }> {
  try {
    return { text: await fs.readFile(file, 'utf8'), exists: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', exists: false };
    throw ioError(`cannot read ${file}`, e, `check that ${file} is a readable file`);
  }
}

/** Writes text to file (the target configTarget found) under file.lock, as git does. */
export async function writeConfig(file: string, text: string): Promise<void> {
  const lock = `${file}.lock`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw lockExists(file);
    throw ioError(`cannot create ${lock}`, e, `check that the directory ${path.dirname(file)} exists and that you may write to it; ${file} is unchanged`);
  }
  try {
    const mode = await fs.stat(file).then((s) => s.mode & 0o777, () => 0o644);
    await handle.writeFile(text);
    await handle.chmod(mode);
    await handle.close();
    await fs.rename(lock, file);
  } catch (e) {
    await handle.close().catch(() => {});
    await fs.rm(lock, { force: true });
    throw ioError(`cannot write ${file}`, e, `check that you may write to ${path.dirname(file)}; ${file} is unchanged`);
  }
}

/**
 * Removes file (which unconfigure emptied) under file.lock, so a config that did not exist
 * before configure does not exist after unconfigure either. git treats a missing global config
 * and an empty one alike (https://git-scm.com/docs/git-config#FILES).
 */
export async function removeConfig(file: string): Promise<void> {
  const lock = `${file}.lock`;
  try {
    await (await fs.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw lockExists(file);
    throw ioError(`cannot create ${lock}`, e, `check that you may write to ${path.dirname(file)}; ${file} is unchanged`);
  }
  try {
    await fs.rm(file, { force: true });
  } catch (e) {
    throw ioError(`cannot remove ${file}`, e, `check that you may write to ${path.dirname(file)}`);
  } finally {
    await fs.rm(lock, { force: true });
  }
}

/** git's own lock is there: a running git, or one that died and left it (lockfile.c gives up the same way). */
function lockExists(file: string): ArtifactsError {
  return new ArtifactsError('git.failed', `cannot change ${file}: another git is writing ${file}, or a stale ${file}.lock is left`, {
    hint: `remove ${file}.lock if no git is running, then run this again; ${file} is unchanged`,
  });
}

/**
 * A symlinked config whose target another user owns: git would write it (the rename replaces
 * their file with ours, in a directory we may write) or fail half-way; neither is what the user meant.
 */
export async function refuseForeignTarget(link: string, file: string, uid = process.getuid?.()): Promise<void> {
  if (uid === undefined || link === file) return;
  const owner = await fs.stat(file).then((s) => s.uid, () => undefined);
  if (owner === undefined || owner === uid) return;
  throw new ArtifactsError('config.invalid', `${link} is a symbolic link to ${file}, which belongs to another user (uid ${owner})`, {
    hint: `point ${link} at a config file of your own, or set GIT_CONFIG_GLOBAL to one; nothing was changed`,
  });
}

function ioError(what: string, e: unknown, hint: string): ArtifactsError {
  return new ArtifactsError('git.failed', `${what}: ${describeErrno(e)}`, { hint, cause: e });
}
