// Ending a child of src/child-process.ts, and what its end is reported as: its whole process
// group on POSIX, its process tree on Windows (which has no groups), and only signals the
// platform can deliver. Part of child-process.ts, which alone imports it and re-exports what
// other code uses.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** Exit code as a shell reports it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/**
 * The signal to pass on to a child. Windows (libuv uv_kill) delivers only SIGINT, SIGTERM,
 * SIGQUIT and SIGKILL, all as TerminateProcess; any other throws ENOSYS. So a SIGHUP that
 * reached us (the console closed) ends the child as SIGTERM would.
 */
export function deliverableSignal(signal: NodeJS.Signals, platform: NodeJS.Platform = process.platform): NodeJS.Signals {
  if (platform !== 'win32') return signal;
  return ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGKILL'].includes(signal) ? signal : 'SIGTERM';
}

/**
 * Ends pid and everything it started on Windows, where there are no process groups: taskkill
 * /T walks the tree by parent pid, /F terminates (https://learn.microsoft.com/windows-server/administration/windows-commands/taskkill).
 * Bounded, quiet, and never throws: the tree may be gone already.
 */
export function killTree(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  try {
    spawnSync('taskkill', ['/T', '/F', '/PID', String(pid)], { env, stdio: 'ignore', timeout: 5_000, windowsHide: true });
  } catch {
    // No taskkill (or it hung): the caller's own child.kill() below still ends the child.
  }
}

/** How a started child is ended: `group` as in StartOptions, `posixGroup` when it leads one. */
export interface KillPlan {
  group: boolean;
  posixGroup: boolean;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/** The kill() of a started child: its group, or on Windows its tree for a SIGKILL, then itself. */
export function killerFor(child: ChildProcess, p: KillPlan): (signal?: NodeJS.Signals) => void {
  // A child that never started, or has ended, has nothing to kill: Node would emit `kill EINVAL`
  // (or ESRCH) as an 'error' event nobody listens to any more, and crash as an unexpected error.
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  return (signal: NodeJS.Signals = 'SIGKILL'): void => {
    if (!running()) return;
    if (p.posixGroup) {
      try {
        process.kill(-child.pid!, signal);
        return;
      } catch {
        // The group is gone already; the child may still be there to reap.
      }
    } else if (p.group && signal === 'SIGKILL') killTree(child.pid!, p.env);
    try {
      child.kill(deliverableSignal(signal, p.platform));
    } catch {
      // Gone between the check and the kill.
    }
  };
}
