import { readFileSync } from 'node:fs';

/** Whether pid is a live process: a zombie nobody has reaped yet (a container's pid 1 may never) is not. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform === 'win32') return true; // no zombies to tell apart, and no /proc
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
