import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Whether this machine can make a symlink that lstat then sees. Not so under Wine 8 (its
 * CreateSymbolicLink leaves nothing lstat finds) nor on Windows without Developer Mode or
 * admin rights (EPERM). Tests of how we treat links skip with this reason there; on a Windows
 * that can make links they run.
 */
export const symlinksWork: boolean = (() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'symlinks-'));
  try {
    writeFileSync(path.join(dir, 'target'), 'x');
    symlinkSync(path.join(dir, 'target'), path.join(dir, 'link'));
    return lstatSync(path.join(dir, 'link')).isSymbolicLink();
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

export const noSymlinks = 'this system cannot create symlinks (Wine 8; Windows without Developer Mode)';
