// Single flight across processes: 16 parallel `git ls-remote` must cause one mint. The lock
// is a file created with O_EXCL; a holder that died (or hung past staleMs) is taken over by
// renaming its lock away first, so two waiters cannot both delete a fresh lock.
import { closeSync, constants, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { ArtifactsError } from '../errors.js';
import { fileError, isBusy, removeQuietly, retryBusy } from '../private-file.js';

const noFollow = process.platform === 'win32' ? 0 : constants.O_NOFOLLOW;
const noBlock = process.platform === 'win32' ? 0 : constants.O_NONBLOCK;

export interface LockOptions {
  /** Give up at this time (ms since epoch). */
  deadline: number;
  /** A lock older than this is stale whatever its owner (ms). */
  staleMs: number;
  /** Called between attempts; returning true ends the wait without the lock (work done). */
  satisfied?: () => boolean;
  /** The clock the deadline and a lock's age are read on, and how a retry waits: unit tests fake both. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type Release = () => void;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `at`: when, on the lock's clock, for a person reading the file (staleness goes by its mtime). */
function tryCreate(file: string, at: number): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
  } catch (e) {
    // Windows: a lock being deleted by its holder ("delete pending") or held open answers EPERM/EBUSY: taken, so wait (to the deadline).
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' || isBusy(e)) return false;
    throw fileError(e, file, 'write');
  }
  try {
    writeSync(fd, `${process.pid} ${os.hostname()} ${at}`);
  } catch (e) {
    // ENOSPC and friends: an empty lock left behind would make every other get wait until
    // it goes stale. Take it back before reporting.
    closeSync(fd);
    removeQuietly(file);
    throw fileError(e, file, 'write');
  }
  closeSync(fd);
  return true;
}

/** A lock with no owner line this long after it was made was left by a writer that died. */
const unwrittenGraceMs = 2_000;

function ownerGone(file: string, ageMs: number): boolean {
  try {
    // No symlink followed, no FIFO waited on: a lock holds one short line.
    const fd = openSync(file, constants.O_RDONLY | noFollow | noBlock);
    const buf = Buffer.alloc(128);
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } finally {
      closeSync(fd);
    }
    const text = buf.toString('utf8', 0, n);
    const [pid, host] = text.split(' ');
    if (!pid || !/^\d+$/.test(pid)) return ageMs > unwrittenGraceMs;
    if (host !== os.hostname()) return false;
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStale(file: string, staleMs: number, now: number): boolean {
  try {
    const age = now - lstatSync(file).mtimeMs;
    return age > staleMs || ownerGone(file, age);
  } catch {
    return false; // vanished (or unreadable): the next tryCreate will tell
  }
}

function breakLock(file: string): void {
  const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    retryBusy(() => renameSync(file, aside));
    unlinkSync(aside);
  } catch {
    // Someone else broke or released it first.
  }
}

/** Resolves with a release function, or with undefined when `satisfied` said the wait is over. */
export async function acquireLock(file: string, options: LockOptions): Promise<Release | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  for (;;) {
    if (tryCreate(file, now())) {
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
