// Single flight across processes: 16 parallel `git ls-remote` must cause one mint. The lock
// is a file created with O_EXCL; a holder that died (or hung past staleMs) is taken over by
// renaming its lock away first, so two waiters cannot both delete a fresh lock.
import { closeSync, constants, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { ArtifactsError } from '../errors.js';

export interface LockOptions {
  /** Give up at this time (ms since epoch). */
  deadline: number;
  /** A lock older than this is stale whatever its owner (ms). */
  staleMs: number;
  /** Called between attempts; returning true ends the wait without the lock (work done). */
  satisfied?: () => boolean;
  now?: () => number;
}

export type Release = () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, `${process.pid} ${os.hostname()} ${Date.now()}`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function ownerGone(file: string): boolean {
  try {
    const [pid, host] = readFileSync(file, 'utf8').split(' ');
    if (host !== os.hostname() || !pid || !/^\d+$/.test(pid)) return false;
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStale(file: string, staleMs: number, now: number): boolean {
  try {
    return now - statSync(file).mtimeMs > staleMs || ownerGone(file);
  } catch {
    return false; // vanished: the next tryCreate will tell
  }
}

function breakLock(file: string): void {
  const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(file, aside);
    unlinkSync(aside);
  } catch {
    // Someone else broke or released it first.
  }
}

/** Resolves with a release function, or with undefined when `satisfied` said the wait is over. */
export async function acquireLock(file: string, options: LockOptions): Promise<Release | undefined> {
  const now = options.now ?? Date.now;
  for (;;) {
    if (tryCreate(file)) {
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // Broken as stale by another process; nothing left to release.
        }
      };
    }
    if (options.satisfied?.()) return undefined;
    if (isStale(file, options.staleMs, now())) {
      breakLock(file);
      continue;
    }
    if (now() >= options.deadline) {
      throw new ArtifactsError('lock.timeout', 'timed out waiting for another git process to mint the same token', {
        hint: `if no other git command is running, remove ${file}`,
      });
    }
    await sleep(15 + Math.random() * 25);
  }
}
